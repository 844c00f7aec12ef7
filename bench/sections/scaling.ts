import { flushExpiredTokens } from '../../src/store/flush-expired-tokens.js';
import { body, tokenBlacklist, tokenRefresh, tokenVerify, whoamiIdQuery } from '../lib/documents.js';
import { type BenchEnvironment, createEnvironment } from '../lib/environment.js';
import type { BenchOptions } from '../lib/options.js';
import { fixed, integer, markdownTable, type SectionResult, type TargetCheck } from '../lib/report.js';
import { median, round } from '../lib/stats.js';
import { defaultCollections, growTokenCollections } from '../lib/token-filler.js';
import { type BackendLabel, describeBackend } from './backend-label.js';

export interface ScalingLevel {
  /** Records in each of outstanding_tokens and blacklisted_tokens (filler, all expired). */
  readonly records: number;
  readonly insertSeconds: number;
  readonly baselineP50Ms: number;
  readonly refreshP50Ms: number;
  readonly verifyP50Ms: number;
  readonly blacklistP50Ms: number;
  /** Latency over the baseline of the same level, against the same at 10^3. */
  readonly refreshGrowth: number;
  readonly verifyGrowth: number;
  readonly blacklistGrowth: number;
  /** Responses other than 200 (e.g. 503 when a store operation passes operationTimeoutMs). */
  readonly failures: Readonly<Record<string, number>>;
}

export interface FlushTiming {
  readonly records: number;
  readonly seconds: number;
  readonly deleted: unknown;
  /** Why flushExpiredTokens failed, when it did. */
  readonly error: string | undefined;
}

export interface BackendScaling {
  readonly backend: BackendLabel;
  readonly levels: readonly ScalingLevel[];
  readonly flush: FlushTiming;
}

// The flush of the benchmark: the command's batch size, and a deadline per batch long enough for
// a scan of a million records.
const flushBatchSize = 30_000;
const flushBatchTimeoutMs = 600_000;

async function timedFlush(environment: BenchEnvironment, records: number): Promise<FlushTiming> {
  const start = performance.now();
  let lastLog = start;
  try {
    const deleted = await flushExpiredTokens({
      connection: environment.connection,
      operationTimeoutMs: flushBatchTimeoutMs,
      flushBatchSize,
      ...defaultCollections,
      onProgress: ({ collection, deleted: count }) => {
        if (performance.now() - lastLog < 10_000) return;
        lastLog = performance.now();
        environment.log(`    flush: ${collection} ${integer(count)} deleted so far`);
      },
    });
    return { records, seconds: round((performance.now() - start) / 1000, 2), deleted, error: undefined };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const message = `${(error as Error).message}${cause instanceof Error ? ` (${cause.message})` : ''}`;
    return {
      records,
      seconds: round((performance.now() - start) / 1000, 2),
      deleted: undefined,
      error: message,
    };
  }
}

/** One request; its latency in ms and its status. */
async function timed(url: string, payload: string): Promise<{ ms: number; status: number }> {
  const start = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: payload,
    signal: AbortSignal.timeout(300_000),
  });
  const text = await response.text();
  if (response.status !== 200 && process.env['BENCH_DEBUG'])
    console.error(url, response.status, text.slice(0, 300));
  return { ms: performance.now() - start, status: response.status };
}

/**
 * Refresh (rotation + blacklist), verify (blacklist lookup) and tokenBlacklist latency, one request
 * at a time, as both token collections grow; each level is normalised by baseline requests
 * interleaved with it. Then flushExpiredTokens over all the (expired) filler.
 */
async function scaleOne(environment: BenchEnvironment, options: BenchOptions): Promise<BackendScaling> {
  const { server, log } = environment;
  const backend = await describeBackend(environment);
  log(`  ${backend.short}:`);
  const targetLevels = options.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000, 1_000_000];
  const perRepetition = options.quick ? 2 : 3;
  const [verifyToken] = await server.mint('db', 'refresh', 1);
  const levels: ScalingLevel[] = [];
  let records = 0;
  for (const target of targetLevels) {
    const insertSeconds = await growTokenCollections(environment.connection, records, target);
    records = target;
    const count = options.repetitions * perRepetition;
    const [rotating, logout] = await Promise.all([
      server.mint('rotate', 'refresh', count, false),
      server.mint('db', 'refresh', count, false),
    ]);
    const samples = {
      baseline: [] as number[],
      refresh: [] as number[],
      verify: [] as number[],
      blacklist: [] as number[],
    };
    const failures: Record<string, number> = {};
    const note = (result: { ms: number; status: number }, into: number[]) => {
      into.push(result.ms);
      if (result.status !== 200) failures[result.status] = (failures[result.status] ?? 0) + 1;
    };
    for (let index = 0; index < count; index += 1) {
      note(await timed(server.url('stateless'), body(whoamiIdQuery)), samples.baseline);
      note(
        await timed(server.url('rotate'), body(tokenRefresh, { refresh: rotating[index]! })),
        samples.refresh,
      );
      note(await timed(server.url('db'), body(tokenVerify, { token: verifyToken })), samples.verify);
      note(
        await timed(server.url('db'), body(tokenBlacklist, { refresh: logout[index]! })),
        samples.blacklist,
      );
    }
    const first = levels[0];
    const baselineP50Ms = median(samples.baseline);
    const p50 = {
      refresh: median(samples.refresh),
      verify: median(samples.verify),
      blacklist: median(samples.blacklist),
    };
    const growth = (value: number, reference: number | undefined) =>
      reference === undefined || first === undefined
        ? 1
        : round(value / baselineP50Ms / (reference / first.baselineP50Ms), 2);
    levels.push({
      records: target,
      insertSeconds: round(insertSeconds, 1),
      baselineP50Ms: round(baselineP50Ms, 2),
      refreshP50Ms: round(p50.refresh, 2),
      verifyP50Ms: round(p50.verify, 2),
      blacklistP50Ms: round(p50.blacklist, 2),
      refreshGrowth: growth(p50.refresh, first?.refreshP50Ms),
      verifyGrowth: growth(p50.verify, first?.verifyP50Ms),
      blacklistGrowth: growth(p50.blacklist, first?.blacklistP50Ms),
      failures,
    });
    log(
      `    ${integer(target)} records: refresh ${fixed(p50.refresh)} ms, verify ${fixed(p50.verify)} ms, blacklist ${fixed(p50.blacklist)} ms`,
    );
  }
  log(`    flushing ${integer(records)} + ${integer(records)} expired records...`);
  const flush = await timedFlush(environment, records);
  log(`    flush: ${flush.error ?? `${fixed(flush.seconds)} s`}`);
  return { backend, levels, flush };
}

/**
 * The backends to compare, each in a fresh environment (empty collections): FerretDB on PostgreSQL
 * and on SQLite, or only `MONGODB_URI`'s server when it is set. `BENCH_SCALING_BACKENDS=postgresql`
 * (or `sqlite`) measures one FerretDB backend only.
 */
async function withEachBackend<T>(
  environment: BenchEnvironment,
  run: (each: BenchEnvironment) => Promise<T>,
): Promise<T[]> {
  if (environment.database.backend === undefined) return [await run(environment)];
  const wanted = (process.env['BENCH_SCALING_BACKENDS'] ?? 'postgresql,sqlite').split(',');
  const results: T[] = [];
  for (const backend of ['postgresql', 'sqlite'].filter((each) => wanted.includes(each))) {
    const fresh = await createEnvironment(
      environment.log,
      backend === 'sqlite' ? { postgresUrl: false } : {},
    );
    try {
      results.push(await run(fresh));
    } finally {
      await fresh.close();
    }
  }
  return results;
}

function backendTargets(result: BackendScaling): TargetCheck[] {
  const last = result.levels[result.levels.length - 1]!;
  const where = `${result.backend.short}, 10^3 to ${integer(last.records)} records, over baseline`;
  return [
    {
      name: `tokenBlacklist latency growth (${where})`,
      target: '<= 1.50x (flat)',
      measured: `${fixed(last.blacklistGrowth)}x`,
      pass: last.blacklistGrowth <= 1.5,
    },
    {
      name: `refresh (rotation) latency growth (${where})`,
      target: '<= 1.50x (flat)',
      measured: `${fixed(last.refreshGrowth)}x`,
      pass: last.refreshGrowth <= 1.5,
    },
    {
      name: `verify-with-blacklist latency growth (${where})`,
      target: '<= 1.50x (flat)',
      measured: `${fixed(last.verifyGrowth)}x`,
      pass: last.verifyGrowth <= 1.5,
    },
    {
      name: `flushExpiredTokens on ${integer(result.flush.records)} + ${integer(result.flush.records)} records (${result.backend.short})`,
      target: 'completes',
      measured:
        result.flush.error === undefined
          ? `${fixed(result.flush.seconds)} s`
          : `failed after ${fixed(result.flush.seconds)} s`,
      pass: result.flush.error === undefined,
    },
  ];
}

function backendMarkdown(result: BackendScaling): string {
  return [
    `### ${result.backend.long}`,
    '',
    markdownTable(
      [
        'records per collection',
        'insert s',
        'baseline p50 ms',
        'refresh p50 ms',
        'growth',
        'verify p50 ms',
        'growth',
        'blacklist p50 ms',
        'growth',
        'non-200',
      ],
      result.levels.map((level) => [
        integer(level.records),
        fixed(level.insertSeconds, 1),
        fixed(level.baselineP50Ms),
        fixed(level.refreshP50Ms),
        `${fixed(level.refreshGrowth)}x`,
        fixed(level.verifyP50Ms),
        `${fixed(level.verifyGrowth)}x`,
        fixed(level.blacklistP50Ms),
        `${fixed(level.blacklistGrowth)}x`,
        JSON.stringify(level.failures),
      ]),
    ),
    '',
    flushLine(result.flush),
  ].join('\n');
}

/** The scaling of the token collections, on each backend at hand. */
export async function runScaling(
  environment: BenchEnvironment,
  options: BenchOptions,
): Promise<SectionResult> {
  const results = await withEachBackend(environment, (each) => scaleOne(each, options));
  const markdown = [
    `One request at a time, ${options.repetitions} x ${options.quick ? 2 : 3} per scenario and level, interleaved with ` +
      'baseline requests (`{ whoami { id } }` without a token). Growth = (p50 / baseline p50) / the same at 10^3. ' +
      'Every lookup of the token store is by `_id`; flushing deletes ranges of the expiry index ' +
      `(${integer(flushBatchSize)} records per delete). With a real MongoDB every one of them is an index ` +
      'operation: `MONGODB_URI=mongodb://... npm run bench -- --only=scaling` measures that route.',
    '',
    ...results.map(backendMarkdown),
  ].join('\n');
  return {
    id: 'scaling',
    title: 'Scaling of the token collections',
    markdown,
    data: results,
    targets: results.flatMap(backendTargets),
  };
}

function flushLine(flush: FlushTiming): string {
  const what = `flushExpiredTokens over ${integer(flush.records)} expired records in each collection`;
  return flush.error === undefined
    ? `${what}: **${fixed(flush.seconds)} s** (deleted ${JSON.stringify(flush.deleted)}).`
    : `${what}: **failed** after ${fixed(flush.seconds)} s: ${flush.error}`;
}
