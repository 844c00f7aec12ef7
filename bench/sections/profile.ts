import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CpuProfile, type ProfileSummary, summariseProfile } from '../lib/cpu-profile.js';
import type { BenchEnvironment } from '../lib/environment.js';
import { type LoadResult, runLoad } from '../lib/load.js';
import type { BenchOptions } from '../lib/options.js';
import { fixed, integer, markdownTable, type SectionResult, type TargetCheck } from '../lib/report.js';
import { createScenarios } from '../lib/scenarios.js';
import { startServer } from '../server/server-handle.js';

// Work that belongs to start-up; any of these in the per-request profile is a defect.
const setupWork = [
  /^resolveSettings$/,
  /^prepareKeyMaterial$/,
  /^prepare(Secret|PrivateKey|PublicKey)$/,
  /^create(Secret|Public|Private)Key$/,
  /^createTokenBackend$/,
  /^bindTokenClasses$/,
  /^createSimpleJwt$/,
  /^(buildSchema|toSchema|buildASTSchema|buildExampleSchema)$/,
  /^(RegExp|compile)$/,
  /^settingsFromEnv$/,
];

export interface ProfileData {
  readonly scenario: string;
  readonly load: LoadResult;
  readonly summary: ProfileSummary;
  readonly setupWorkFound: readonly string[];
}

/**
 * `node --cpu-prof` on a second server child during a stateless `{ whoami }` run; only the samples of
 * the measured window count (start-up and schema building are cut off by the child's own clock).
 */
export async function runProfile(
  environment: BenchEnvironment,
  options: BenchOptions,
): Promise<SectionResult> {
  const directory = await mkdtemp(join(tmpdir(), 'simple-jwt-bench-profile-'));
  try {
    const server = await startServer(environment.childConfig, ['--cpu-prof', `--cpu-prof-dir=${directory}`]);
    let load: LoadResult;
    let window: { fromMicros: number; toMicros: number };
    try {
      const [accessToken] = await server.mint('stateless', 'access', 1);
      const { variants } = createScenarios({ server, accessToken: accessToken!, refreshToken: accessToken! });
      const scenario = variants.find((variant) => variant.id === 'whoami-stateless')!;
      const input = await scenario.input(1);
      const spec = {
        url: server.url(scenario.app),
        body: input.body,
        authorization: input.authorization,
        connections: 8,
      };
      const probes = { server };
      await runLoad({ ...spec, durationSeconds: options.quick ? 0.5 : 2 }, probes);
      const fromMicros = await server.clockMicros();
      load = await runLoad({ ...spec, durationSeconds: options.quick ? 1.5 : 5 }, probes);
      window = { fromMicros, toMicros: await server.clockMicros() };
    } finally {
      await server.stop();
    }
    const summary = await busiestProfile(directory, window);
    const setupWorkFound = [...summary.topFunctions, ...summary.ownFunctions]
      .filter((entry) => setupWork.some((pattern) => pattern.test(entry.function.split(' ')[0]!)))
      .map((entry) => entry.function);
    const data: ProfileData = { scenario: 'whoami-stateless', load, summary, setupWorkFound };
    const targets: TargetCheck[] = [
      {
        name: 'no start-up work (settings, key import, schema or regex compilation) in the per-request profile',
        target: 'none',
        measured: setupWorkFound.length === 0 ? 'none' : setupWorkFound.join(', '),
        pass: setupWorkFound.length === 0,
      },
    ];
    return {
      id: 'profile',
      title: 'CPU profile of the server during stateless `{ whoami }`',
      markdown: render(data),
      data,
      targets,
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** tsx runs a loader thread that writes a profile too: take the one that was busy in the window. */
async function busiestProfile(
  directory: string,
  window: { fromMicros: number; toMicros: number },
): Promise<ProfileSummary> {
  const summaries: ProfileSummary[] = [];
  for (const file of await readdir(directory)) {
    if (!file.endsWith('.cpuprofile')) continue;
    const profile = JSON.parse(await readFile(join(directory, file), 'utf8')) as CpuProfile;
    summaries.push(summariseProfile(profile, window));
  }
  const busiest = summaries.sort((a, b) => b.busyMs - a.busyMs)[0];
  if (!busiest) throw new Error('the server child wrote no CPU profile');
  return busiest;
}

function render(data: ProfileData): string {
  const { summary, load } = data;
  const own = summary.ownFunctions.reduce((sum, entry) => sum + entry.percent, 0);
  return [
    `${integer(load.requests)} requests at ${integer(load.reqPerSecond)} req/s, ` +
      `${integer(load.serverCpuMicrosPerRequest)} µs server CPU per request; ${fixed(summary.busyMs, 0)} ms of samples ` +
      `in the window. This package's own code (src/): ${fixed(own, 1)}% of self time.`,
    '',
    'Top self-time functions:',
    '',
    markdownTable(
      ['self %', 'self ms', 'owner', 'function'],
      summary.topFunctions.map((entry) => [
        fixed(entry.percent, 1),
        fixed(entry.selfMs, 0),
        entry.owner,
        entry.function,
      ]),
    ),
    '',
    'Self time by owner:',
    '',
    markdownTable(
      ['self %', 'owner'],
      summary.byOwner.slice(0, 12).map((entry) => [fixed(entry.percent, 1), entry.owner]),
    ),
    '',
    'Every function of src/ that was sampled:',
    '',
    markdownTable(
      ['self %', 'function'],
      summary.ownFunctions.map((entry) => [fixed(entry.percent, 2), entry.function]),
    ),
  ].join('\n');
}
