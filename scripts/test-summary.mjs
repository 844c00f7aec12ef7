// Prints vitest's JSON report as one plain closing line: "Tests: N passed, N failed, N skipped on Node vX".
import { existsSync, readFileSync } from 'node:fs';

const file = new URL('../.vitest-results.json', import.meta.url);
const node = `on Node ${process.version}`;
if (!existsSync(file)) {
  console.log(`Tests: 0 passed, 0 failed ${node} (no test report: the run stopped before the tests)`);
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(
  `Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped ${node}`,
);
