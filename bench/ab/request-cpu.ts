import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { median } from '../lib/stats.js';

/**
 * Extra server CPU per request of two checkouts of this repository measured side by side, e.g. a
 * branch against main: each checkout runs bench/ab/block-child.ts in a process of its own (copy that
 * file and its imports into the other checkout first), and the blocks of requests alternate between
 * the two (A, B, B, A, ...), each case between two baseline blocks of the same process, so both see the
 * same load on a shared machine.
 * Run: npx tsx bench/ab/request-cpu.ts <checkout A> <checkout B> [rounds] [block size]
 */
const [rootA = '.', rootB = '.', roundsText = '25', sizeText = '200'] = process.argv.slice(2);
const rounds = Number(roundsText);
const size = Number(sizeText);
const signingKey = randomBytes(64).toString('base64url');

function start(root: string): Promise<ChildProcess> {
  const child = fork(resolve(root, 'bench/ab/block-child.ts'), [], {
    cwd: resolve(root),
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SIGNING_KEY: signingKey },
  });
  return new Promise((ready, fail) => {
    child.once('message', () => ready(child));
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`${root}: exited with ${code}`)));
  });
}

function block(child: ChildProcess, id: string): Promise<number> {
  return new Promise((done) => {
    child.once('message', (message) => done((message as { cpu: number }).cpu));
    child.send({ id, size });
  });
}

/** The extra CPU of `id` over the baselines right before and after it, in one process. */
async function extra(child: ChildProcess, id: string): Promise<number> {
  const before = await block(child, 'baseline');
  const cpu = await block(child, id);
  const after = await block(child, 'baseline');
  return cpu - (before + after) / 2;
}

const cases = ['me-anonymous', 'stateless', 'stateless-cache', 'plain-jsonwebtoken'];
const [a, b] = await Promise.all([start(rootA), start(rootB)]);
if (!a || !b) throw new Error('children did not start');
for (const id of ['baseline', ...cases]) {
  await block(a, id);
  await block(b, id);
}
const results = new Map<string, { a: number[]; b: number[] }>(cases.map((id) => [id, { a: [], b: [] }]));
for (let round = 0; round < rounds; round += 1) {
  for (const id of cases) {
    const entry = results.get(id);
    if (!entry) continue;
    // A then B on even rounds, B then A on odd ones: neither always runs first.
    if (round % 2 === 0) {
      entry.a.push(await extra(a, id));
      entry.b.push(await extra(b, id));
    } else {
      entry.b.push(await extra(b, id));
      entry.a.push(await extra(a, id));
    }
  }
  console.error(`round ${round + 1}/${rounds}`);
}
console.log(
  `| case | ${rootA} extra CPU µs/request | ${rootB} extra CPU µs/request | A - B (median of paired) |`,
);
console.log('| --- | --- | --- | --- |');
for (const [id, { a: extrasA, b: extrasB }] of results) {
  const differences = extrasA.map((value, index) => value - (extrasB[index] ?? value));
  console.log(
    `| ${id} | ${median(extrasA).toFixed(0)} | ${median(extrasB).toFixed(0)} | ${median(differences).toFixed(0)} |`,
  );
}
a.kill();
b.kill();
