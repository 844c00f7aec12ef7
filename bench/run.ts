import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type BenchEnvironment, createEnvironment } from './lib/environment.js';
import { describeMachine } from './lib/machine.js';
import { parseOptions, type SectionId } from './lib/options.js';
import { markdownTable, type SectionResult } from './lib/report.js';
import { runFloor } from './sections/floor.js';
import { runLoginUnderLoad } from './sections/login-under-load.js';
import { runMicro } from './sections/micro.js';
import { runProfile } from './sections/profile.js';
import { runRequestCpu } from './sections/request-cpu.js';
import { runRequests } from './sections/requests.js';
import { runScaling } from './sections/scaling.js';

// `npm run bench [-- --quick] [--only=...]`: Markdown to stdout, JSON to bench/results/<timestamp>.json
// and the Markdown to bench/results/latest.md. Progress goes to stderr.

const options = parseOptions(process.argv.slice(2));
const log = (message: string) => console.error(message);
const started = new Date();
const machine = describeMachine();
log(`bench: ${options.quick ? 'quick' : 'full'} run of ${options.sections.join(', ')} on ${machine.summary}`);

const sections: SectionResult[] = [];
let environment: BenchEnvironment | undefined;
const needsEnvironment = options.sections.some((id) => id !== 'micro');
try {
  for (const id of options.sections) {
    const sectionStart = Date.now();
    log(`bench: ${id}...`);
    try {
      sections.push(await runSection(id));
    } catch (error) {
      // One broken section must not lose the others' results: report it and go on.
      log(`bench: ${id} failed: ${(error as Error).stack ?? String(error)}`);
      sections.push(failedSection(id, error));
    }
    log(`bench: ${id} took ${((Date.now() - sectionStart) / 1000).toFixed(1)} s`);
  }
} finally {
  if (needsEnvironment) await environment?.close();
}

async function runSection(id: SectionId): Promise<SectionResult> {
  if (id === 'micro') return runMicro(options);
  environment ??= await createEnvironment(log);
  switch (id) {
    case 'requests':
      return runRequests(environment, options);
    case 'request-cpu':
      return runRequestCpu(environment, options);
    case 'login':
      return runLoginUnderLoad(environment, options);
    case 'profile':
      return runProfile(environment, options);
    case 'floor':
      return runFloor(environment, options);
    case 'scaling':
      return runScaling(environment, options);
  }
}

function failedSection(id: SectionId, error: unknown): SectionResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    id,
    title: `${id} (failed)`,
    markdown: `The section failed: \`${message.replaceAll('`', "'")}\``,
    data: { error: message },
    targets: [{ name: `${id} section ran`, target: 'ran', measured: 'failed', pass: false }],
  };
}

const targets = sections.flatMap((section) => section.targets);
const markdown = [
  `# Benchmark results (${options.quick ? 'quick' : 'full'} run)`,
  '',
  `${started.toISOString()}; ${machine.summary}; ${options.repetitions} repetitions per paired measurement.`,
  `Total time ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s.`,
  '',
  '## Targets',
  '',
  markdownTable(
    ['target', 'goal', 'measured', 'met'],
    targets.map((target) => [target.name, target.target, target.measured, target.pass ? 'yes' : '**no**']),
  ),
  ...sections.flatMap((section) => ['', `## ${section.title}`, '', section.markdown]),
  '',
].join('\n');
console.log(markdown);

if (options.write) {
  const directory = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(directory, { recursive: true });
  const stamp = started
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z');
  const json = { started: started.toISOString(), options, machine, targets, sections };
  await writeFile(`${directory}${stamp}.json`, `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(`${directory}latest.md`, markdown);
  log(`bench: wrote bench/results/${stamp}.json and bench/results/latest.md`);
}
