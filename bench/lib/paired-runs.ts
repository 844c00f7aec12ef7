import { type LoadProbes, type LoadResult, runLoad } from './load.js';
import type { Scenario } from './scenarios.js';
import { median, pairedRatios, round } from './stats.js';

export interface PairedRunOptions {
  readonly repetitions: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
}

/** A variant against the baseline: medians of its runs and of its paired ratios. */
export interface PairedSummary {
  readonly id: string;
  readonly label: string;
  readonly reqPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly serverCpuMicrosPerRequest: number;
  readonly databaseCpuMicrosPerRequest: number | undefined;
  /** Paired ratios to the baseline runs right before and after each run (medians). */
  readonly reqPerSecondRatio: number;
  readonly p50Ratio: number;
  readonly p99Ratio: number;
  readonly cpuRatio: number;
  /** Server CPU per request above the adjacent baselines (median of the paired differences). */
  readonly extraCpuMicros: number;
  /** The same difference for each repetition, in run order. */
  readonly extraCpuMicrosPerRepetition: readonly number[];
  /** Responses whose status was not the expected one, over all runs. */
  readonly unexpectedResponses: number;
  readonly runs: readonly LoadResult[];
}

export interface PairedResult {
  readonly baseline: PairedSummary;
  readonly variants: readonly PairedSummary[];
}

function unexpected(scenario: Scenario, run: LoadResult): number {
  let count = run.errors;
  for (const [status, n] of Object.entries(run.statuses))
    if (Number(status) !== scenario.expectedStatus) count += n;
  return count;
}

function summarise(scenario: Scenario, runs: LoadResult[], baselines: LoadResult[][]): PairedSummary {
  const pick = (results: readonly LoadResult[], key: (run: LoadResult) => number) => results.map(key);
  const ratiosOf = (key: (run: LoadResult) => number) =>
    runs.flatMap((run, repetition) => pairedRatios(pick(baselines[repetition]!, key), [key(run)]));
  const cpu = (run: LoadResult) => run.serverCpuMicrosPerRequest;
  const extra = runs.map((run, repetition) => {
    const around = baselines[repetition]!;
    return cpu(run) - (cpu(around[0]!) + cpu(around[1] ?? around[0]!)) / 2;
  });
  const databaseCpu = runs.map((run) => run.databaseCpuMicrosPerRequest);
  return {
    id: scenario.id,
    label: scenario.label,
    reqPerSecond: round(median(runs.map((run) => run.reqPerSecond)), 0),
    p50Ms: round(median(runs.map((run) => run.p50Ms)), 3),
    p99Ms: round(median(runs.map((run) => run.p99Ms)), 3),
    serverCpuMicrosPerRequest: round(median(runs.map(cpu)), 1),
    databaseCpuMicrosPerRequest: databaseCpu.every((value) => value !== undefined)
      ? round(median(databaseCpu as number[]), 1)
      : undefined,
    reqPerSecondRatio: round(median(ratiosOf((run) => run.reqPerSecond)), 3),
    p50Ratio: round(median(ratiosOf((run) => run.p50Ms)), 3),
    p99Ratio: round(median(ratiosOf((run) => run.p99Ms)), 3),
    cpuRatio: round(median(ratiosOf(cpu)), 3),
    extraCpuMicros: round(median(extra), 1),
    extraCpuMicrosPerRepetition: extra.map((value) => round(value, 0)),
    unexpectedResponses: runs.reduce((sum, run) => sum + unexpected(scenario, run), 0),
    runs,
  };
}

/**
 * Runs `baseline, v1, baseline, v2, ..., vn, baseline` per repetition, so every variant run sits
 * between two baseline runs of the same moment; ratios are taken against those two.
 */
export async function runPaired(
  baseline: Scenario,
  variants: readonly Scenario[],
  url: (scenario: Scenario) => string,
  probes: LoadProbes,
  options: PairedRunOptions,
  log: (message: string) => void,
): Promise<PairedResult> {
  const lastRate = new Map<string, number>();
  const run = async (scenario: Scenario, durationSeconds: number) => {
    const expected = Math.ceil((lastRate.get(scenario.id) ?? 500) * durationSeconds * 1.6) + 100;
    const input = await scenario.input(expected);
    const result = await runLoad(
      {
        url: url(scenario),
        body: input.body,
        authorization: input.authorization,
        connections: options.connections,
        durationSeconds,
      },
      probes,
    );
    lastRate.set(scenario.id, result.reqPerSecond);
    if (process.env['BENCH_DEBUG']) {
      log(
        `    ${scenario.id}: ${result.requests} requests, ${Math.round(result.reqPerSecond)} req/s, ${JSON.stringify(result.statuses)}`,
      );
    }
    return result;
  };
  for (const scenario of [baseline, ...variants]) await run(scenario, options.warmupSeconds);

  const baselineRuns: LoadResult[] = [];
  const variantRuns = new Map<string, LoadResult[]>(variants.map((variant) => [variant.id, []]));
  // baselinesAround.get(id)[repetition] = [run before, run after]
  const baselinesAround = new Map<string, LoadResult[][]>(variants.map((variant) => [variant.id, []]));
  for (let repetition = 0; repetition < options.repetitions; repetition += 1) {
    let before = await run(baseline, options.durationSeconds);
    baselineRuns.push(before);
    for (const variant of variants) {
      const result = await run(variant, options.durationSeconds);
      const after = await run(baseline, options.durationSeconds);
      baselineRuns.push(after);
      variantRuns.get(variant.id)!.push(result);
      baselinesAround.get(variant.id)!.push([before, after]);
      before = after;
    }
    log(`  repetition ${repetition + 1}/${options.repetitions} done`);
  }
  const baselineSummary = summarise(
    baseline,
    baselineRuns,
    baselineRuns.map((run) => [run]),
  );
  return {
    baseline: baselineSummary,
    variants: variants.map((variant) =>
      summarise(variant, variantRuns.get(variant.id)!, baselinesAround.get(variant.id)!),
    ),
  };
}
