import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { flushExpiredTokens } from '../../src/store/flush-expired-tokens.js';
import { body, tokenRefresh, tokenVerify, whoamiIdQuery } from '../lib/documents.js';
import type { BenchEnvironment } from '../lib/environment.js';
import type { BenchOptions } from '../lib/options.js';
import { fixed, integer, markdownTable, type SectionResult, type TargetCheck } from '../lib/report.js';
import { median, round } from '../lib/stats.js';

export interface ScalingLevel {
  /** Records in each of outstanding_tokens and blacklisted_tokens (filler, all expired). */
  readonly records: number;
  readonly insertSeconds: number;
  readonly baselineP50Ms: number;
  readonly refreshP50Ms: number;
  readonly verifyP50Ms: number;
  /** Latency over the baseline of the same level, against the same at 10^3. */
  readonly refreshGrowth: number;
  readonly verifyGrowth: number;
  /** Responses other than 200 (e.g. 503 when a store operation passes operationTimeoutMs). */
  readonly failures: Readonly<Record<string, number>>;
}

export interface ScalingData {
  readonly levels: readonly ScalingLevel[];
  readonly skipped: readonly number[];
  readonly flush: FlushTiming;
  /** A flush of 10^4 records on separate collections, when the big one failed. */
  readonly smallFlush: FlushTiming | undefined;
  /** The server's plan for the blacklist lookup `{ jti: { $eq } }`: indexed or a scan. */
  readonly lookupPlan: string;
}

export interface FlushTiming {
  readonly records: number;
  readonly seconds: number;
  readonly deleted: unknown;
  /** Why flushExpiredTokens failed, when it did. */
  readonly error: string | undefined;
}

/**
 * Times flushExpiredTokens over `records` expired records per collection: the filler of the
 * collections the server uses, or (with `prefix`) fresh collections filled here first.
 */
async function timedFlush(environment: BenchEnvironment, records: number, prefix = ''): Promise<FlushTiming> {
  const names = {
    outstandingCollection: `${prefix}outstanding_tokens`,
    blacklistedCollection: `${prefix}blacklisted_tokens`,
  };
  if (prefix !== '') await growTo(environment, 0, records, names);
  const start = performance.now();
  try {
    const deleted = await flushExpiredTokens({
      connection: environment.connection,
      operationTimeoutMs: 3_600_000,
      ...names,
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

/** A refresh, a verify, or a baseline request, one at a time; its latency in ms and its status. */
async function timed(
  url: string,
  payload: string,
  authorization?: string,
): Promise<{ ms: number; status: number }> {
  const start = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: payload,
    signal: AbortSignal.timeout(300_000),
  });
  const text = await response.text();
  if (response.status !== 200 && process.env['BENCH_DEBUG'])
    console.error(url, response.status, text.slice(0, 300));
  return { ms: performance.now() - start, status: response.status };
}

async function growTo(
  environment: BenchEnvironment,
  from: number,
  to: number,
  names = { outstandingCollection: 'outstanding_tokens', blacklistedCollection: 'blacklisted_tokens' },
): Promise<number> {
  const outstanding = environment.connection.collection(names.outstandingCollection);
  const blacklisted = environment.connection.collection(names.blacklistedCollection);
  const expired = new Date(Date.now() - 86_400_000);
  const start = performance.now();
  for (let done = from; done < to; ) {
    const size = Math.min(10_000, to - done);
    const records = Array.from({ length: size }, () => ({
      _id: new Types.ObjectId(),
      jti: randomBytes(16).toString('hex'),
      user: new Types.ObjectId().toHexString(),
      tokenType: 'refresh',
      createdAt: expired,
      expiresAt: expired,
    }));
    await outstanding.insertMany(records, { ordered: false });
    await blacklisted.insertMany(
      records.map((record) => ({
        token: record._id,
        jti: record.jti,
        blacklistedAt: expired,
        expiresAt: expired,
      })),
      { ordered: false },
    );
    done += size;
  }
  return (performance.now() - start) / 1000;
}

/**
 * Refresh (rotation + blacklist) and verify (blacklist lookup) latency, one request at a time, as
 * outstanding_tokens and blacklisted_tokens grow; each level is normalised by baseline requests
 * interleaved with it. Then the time of flushExpiredTokens over all the (expired) filler.
 */
export async function runScaling(
  environment: BenchEnvironment,
  options: BenchOptions,
): Promise<SectionResult> {
  const { server, log } = environment;
  const targetLevels = options.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000, 1_000_000];
  const requestsPerRepetition = options.quick ? 2 : 3;
  const [verifyToken] = await server.mint('db', 'refresh', 1);
  const levels: ScalingLevel[] = [];
  const skipped: number[] = [];
  let records = 0;
  for (const target of targetLevels) {
    const previous = levels[levels.length - 1];
    // Where lookups are scans (FerretDB v1), a level can take seconds per request: measure fewer.
    const perRepetition = previous && previous.refreshP50Ms > 1_000 ? 1 : requestsPerRepetition;
    if (previous && previous.refreshP50Ms > 30_000) {
      skipped.push(target);
      continue;
    }
    const insertSeconds = await growTo(environment, records, target);
    records = target;
    const fresh = await server.mint('rotate', 'refresh', options.repetitions * perRepetition);
    const baseline: number[] = [];
    const refresh: number[] = [];
    const verify: number[] = [];
    const failures: Record<string, number> = {};
    const note = (result: { ms: number; status: number }, into: number[]) => {
      into.push(result.ms);
      if (result.status !== 200) failures[result.status] = (failures[result.status] ?? 0) + 1;
      return result;
    };
    for (let repetition = 0; repetition < options.repetitions; repetition += 1) {
      for (let index = 0; index < perRepetition; index += 1) {
        note(await timed(server.url('stateless'), body(whoamiIdQuery)), baseline);
        const token = fresh[repetition * perRepetition + index]!;
        note(await timed(server.url('rotate'), body(tokenRefresh, { refresh: token })), refresh);
        note(await timed(server.url('db'), body(tokenVerify, { token: verifyToken })), verify);
      }
    }
    const first = levels[0];
    const baselineP50Ms = median(baseline);
    const refreshP50Ms = median(refresh);
    const verifyP50Ms = median(verify);
    const growth = (value: number, reference: number | undefined, referenceBaseline: number | undefined) =>
      reference === undefined || referenceBaseline === undefined
        ? 1
        : round(value / baselineP50Ms / (reference / referenceBaseline), 2);
    levels.push({
      records: target,
      insertSeconds: round(insertSeconds, 1),
      baselineP50Ms: round(baselineP50Ms, 2),
      refreshP50Ms: round(refreshP50Ms, 2),
      verifyP50Ms: round(verifyP50Ms, 2),
      refreshGrowth: growth(refreshP50Ms, first?.refreshP50Ms, first?.baselineP50Ms),
      verifyGrowth: growth(verifyP50Ms, first?.verifyP50Ms, first?.baselineP50Ms),
      failures,
    });
    log(
      `  ${integer(target)} records: refresh p50 ${fixed(refreshP50Ms)} ms, verify p50 ${fixed(verifyP50Ms)} ms`,
    );
  }
  const lookupPlan = await planOf(environment);
  const flush = await timedFlush(environment, records);
  // Where the big flush fails (FerretDB v1 cannot delete more than ~32k documents in one command),
  // a flush of 10^4 records on collections of their own still gives a working figure.
  const smallFlush =
    flush.error === undefined || records <= 10_000
      ? undefined
      : await timedFlush(environment, 10_000, 'flush_');
  const data: ScalingData = { levels, skipped, flush, smallFlush, lookupPlan };
  const last = levels[levels.length - 1]!;
  const targets: TargetCheck[] = [
    {
      name: `refresh latency from 10^3 to ${integer(last.records)} records (over baseline, vs 10^3)`,
      target: '<= 1.50x (flat)',
      measured: `${fixed(last.refreshGrowth)}x`,
      pass: last.refreshGrowth <= 1.5,
    },
    {
      name: `verify-with-blacklist latency from 10^3 to ${integer(last.records)} records (over baseline, vs 10^3)`,
      target: '<= 1.50x (flat)',
      measured: `${fixed(last.verifyGrowth)}x`,
      pass: last.verifyGrowth <= 1.5,
    },
    {
      name: `flushExpiredTokens on ${integer(records)} + ${integer(records)} records`,
      target: 'succeeds, <= 5 s (the default operationTimeoutMs)',
      measured:
        flush.error === undefined ? `${fixed(flush.seconds)} s` : `failed after ${fixed(flush.seconds)} s`,
      pass: flush.error === undefined && flush.seconds <= 5,
    },
  ];
  const markdown = [
    `One request at a time, ${options.repetitions} x ${requestsPerRepetition} (1 where a request takes over 1 s) per scenario and level, interleaved with ` +
      'baseline requests (`{ whoami { id } }` without a token). Growth = (p50 / baseline p50) / the same at 10^3.',
    `Plan of the blacklist lookup \`{ jti: { $eq } }\` on this server: \`${lookupPlan}\`.`,
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
        'non-200',
      ],
      levels.map((level) => [
        integer(level.records),
        fixed(level.insertSeconds, 1),
        fixed(level.baselineP50Ms),
        fixed(level.refreshP50Ms),
        `${fixed(level.refreshGrowth)}x`,
        fixed(level.verifyP50Ms),
        `${fixed(level.verifyGrowth)}x`,
        JSON.stringify(level.failures),
      ]),
    ),
    skipped.length > 0
      ? `\nNot measured (a request took over 30 s at the level before): ${skipped.map(integer).join(', ')}.`
      : '',
    '',
    flushLine(flush),
    smallFlush ? flushLine(smallFlush) : '',
  ].join('\n');
  return { id: 'scaling', title: 'Scaling of the token collections', markdown, data, targets };
}

function flushLine(flush: FlushTiming): string {
  const what = `flushExpiredTokens over ${integer(flush.records)} expired records in each collection`;
  return flush.error === undefined
    ? `${what}: **${fixed(flush.seconds)} s** (deleted ${JSON.stringify(flush.deleted)}).`
    : `${what}: **failed** after ${fixed(flush.seconds)} s: ${flush.error}`;
}

/** The query plan of the blacklist lookup, in one line (MongoDB: IXSCAN; FerretDB v1: pushdown or not). */
async function planOf(environment: BenchEnvironment): Promise<string> {
  try {
    const explained = (await environment.connection
      .collection('blacklisted_tokens')
      .find({ jti: { $eq: 'x'.repeat(32) } })
      .explain()) as Record<string, unknown>;
    const planner = explained['queryPlanner'] as Record<string, unknown> | undefined;
    const winning = JSON.stringify(planner?.['winningPlan'] ?? planner?.['Plan'] ?? planner ?? explained);
    const pushdown = explained['filterPushdown'];
    return `${winning.slice(0, 200)}${pushdown === undefined ? '' : ` filterPushdown=${String(pushdown)}`}`;
  } catch (error) {
    return `explain failed: ${(error as Error).message}`;
  }
}
