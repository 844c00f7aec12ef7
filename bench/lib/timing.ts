/** Time-bounded loops for in-process micro-benchmarks. */

/** Keeps results alive so that V8 cannot drop the measured work. */
export const sink: { value: unknown } = { value: undefined };

/** Runs `operation` in chunks until `durationMs` has passed; returns operations per second. */
export function opsPerSecond(operation: () => unknown, durationMs: number): number {
  const chunk = 64;
  const deadline = durationMs * 1e6;
  let count = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < deadline) {
    for (let index = 0; index < chunk; index += 1) sink.value = operation();
    count += chunk;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  return (count / elapsed) * 1e9;
}

/** The same for an async operation, awaited one at a time (the per-request shape). */
export async function asyncOpsPerSecond(
  operation: () => Promise<unknown>,
  durationMs: number,
): Promise<number> {
  const chunk = 64;
  const deadline = durationMs * 1e6;
  let count = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < deadline) {
    for (let index = 0; index < chunk; index += 1) sink.value = await operation();
    count += chunk;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  return (count / elapsed) * 1e9;
}
