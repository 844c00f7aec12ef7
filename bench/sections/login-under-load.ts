import { body, meQuery, tokenObtainPair } from '../lib/documents.js';
import type { BenchEnvironment } from '../lib/environment.js';
import { type LoadResult, type LoadSpec, runLoad } from '../lib/load.js';
import type { BenchOptions } from '../lib/options.js';
import { fixed, integer, markdownTable, type SectionResult, type TargetCheck } from '../lib/report.js';
import { median, pairedRatios, round } from '../lib/stats.js';

export interface LoginLoadData {
  readonly probeRate: number;
  readonly unloaded: readonly LoadResult[];
  readonly loaded: readonly LoadResult[];
  /** The saturating tokenObtainPair runs, one per loaded probe. */
  readonly logins: readonly LoadResult[];
  readonly p99Ratios: readonly number[];
  readonly p99Ratio: number;
}

/**
 * `{ me }` latency at a fixed, modest rate, alone and while `tokenObtainPair` is saturated with the
 * production scrypt cost (N=2^15, r=8: 32 MiB and tens of ms per hash, on the libuv threadpool).
 * Interleaved: unloaded, loaded, unloaded, ..., unloaded.
 */
export async function runLoginUnderLoad(
  environment: BenchEnvironment,
  options: BenchOptions,
): Promise<SectionResult> {
  const { server, probes, log } = environment;
  const [accessToken] = await server.mint('login', 'access', 1);
  const { production } = server.users;
  const probeRate = 200;
  const durationSeconds = options.quick ? 0.8 : 3;
  const probe: LoadSpec = {
    url: server.url('login'),
    body: body(meQuery),
    authorization: `Bearer ${accessToken}`,
    connections: 2,
    durationSeconds,
    overallRate: probeRate,
  };
  const login: LoadSpec = {
    url: server.url('login'),
    body: body(tokenObtainPair, { username: production.username, password: production.password }),
    connections: 8,
    // Longer than the probe: it starts first and ends after it, so the probe only sees saturation.
    durationSeconds: durationSeconds + (options.quick ? 0.5 : 1),
  };
  await runLoad({ ...probe, durationSeconds: 0.5 }, probes);
  const unloaded: LoadResult[] = [await runLoad(probe, probes)];
  const loaded: LoadResult[] = [];
  const logins: LoadResult[] = [];
  for (let repetition = 0; repetition < options.repetitions; repetition += 1) {
    const saturation = runLoad(login, { server });
    await new Promise((resolve) => setTimeout(resolve, options.quick ? 300 : 500));
    loaded.push(await runLoad(probe, probes));
    logins.push(await saturation);
    unloaded.push(await runLoad(probe, probes));
    log(`  repetition ${repetition + 1}/${options.repetitions} done`);
  }
  const p99Ratios = pairedRatios(
    unloaded.map((run) => run.p99Ms),
    loaded.map((run) => run.p99Ms),
  ).map((ratio) => round(ratio, 3));
  const data: LoginLoadData = {
    probeRate,
    unloaded,
    loaded,
    logins,
    p99Ratios,
    p99Ratio: round(median(p99Ratios), 3),
  };
  const targets: TargetCheck[] = [
    {
      name: '`{ me }` p99 while tokenObtainPair is saturated (production scrypt) vs unloaded',
      target: '<= 2.00x',
      measured: `${fixed(data.p99Ratio)}x`,
      pass: data.p99Ratio <= 2,
    },
  ];
  const row = (name: string, runs: readonly LoadResult[]) => [
    name,
    integer(median(runs.map((run) => run.reqPerSecond))),
    fixed(median(runs.map((run) => run.p50Ms))),
    fixed(median(runs.map((run) => run.p99Ms))),
  ];
  const markdown = [
    `\`{ me }\` (database user lookup) paced at ${probeRate} req/s over 2 connections, ${durationSeconds} s per run; ` +
      `the load is \`tokenObtainPair\` over 8 connections with createScryptPasswordHasher() defaults. ` +
      `p99 ratio (median of paired): **${fixed(data.p99Ratio)}x** (${p99Ratios.map((ratio) => fixed(ratio)).join(', ')}).`,
    '',
    markdownTable(
      ['run', 'req/s', 'p50 ms', 'p99 ms'],
      [
        row('`{ me }` unloaded', unloaded),
        row('`{ me }` during login saturation', loaded),
        row('`tokenObtainPair` (the load)', logins),
      ],
    ),
  ].join('\n');
  return { id: 'login', title: 'Login under load', markdown, data, targets };
}
