import { type BenchEnvironment, createEnvironment } from '../lib/environment.js';
import type { BenchOptions } from '../lib/options.js';
import { type PairedSummary, runPaired } from '../lib/paired-runs.js';
import { fixed, integer, markdownTable, type SectionResult, type TargetCheck } from '../lib/report.js';
import { checkScenario, type Scenario } from '../lib/scenarios.js';
import { growTokenCollections } from '../lib/token-filler.js';
import { describeBackend } from './backend-label.js';

// Every database-backed endpoint against its floor server in the same run: the same Yoga server
// whose resolvers make the same bare driver operations by `_id` on the same collections (see
// bench/server/floor-app.ts). The ratio is what our code costs on top of the database's own work,
// whatever the database (FerretDB's scans, or MongoDB's indexes).

interface Endpoint {
  /** The id of the real endpoint's scenario. */
  readonly id: string;
  readonly floorApp: 'floor' | 'floor-rotate';
}

const endpoints: readonly Endpoint[] = [
  { id: 'token-verify', floorApp: 'floor' },
  { id: 'token-refresh', floorApp: 'floor' },
  { id: 'token-refresh-rotate', floorApp: 'floor-rotate' },
  { id: 'token-blacklist', floorApp: 'floor' },
  { id: 'me-database', floorApp: 'floor' },
];

interface FloorRow {
  readonly records: number;
  readonly id: string;
  readonly label: string;
  readonly ours: PairedSummary;
  readonly floor: PairedSummary;
  readonly simpleJwtReqPerSecond: number | undefined;
}

/** The floor twin of a scenario: same document and header, the floor app, no token used up. */
function floorScenario(scenario: Scenario, app: Endpoint['floorApp']): Scenario {
  return {
    id: `${scenario.id}-floor`,
    label: `floor of ${scenario.label}`,
    app,
    expectedStatus: 200,
    input: async () => {
      const input = await scenario.input(1);
      return {
        body: typeof input.body === 'string' ? input.body : input.body(),
        authorization: input.authorization,
      };
    },
  };
}

/** Runs in an environment of its own, so that its 10^5 records do not slow the other sections. */
export async function runFloor(shared: BenchEnvironment, options: BenchOptions): Promise<SectionResult> {
  const environment =
    shared.database.backend === undefined
      ? shared
      : await createEnvironment(
          shared.log,
          shared.database.backend === 'sqlite' ? { postgresUrl: false } : {},
        );
  try {
    return await floorIn(environment, options);
  } finally {
    if (environment !== shared) await environment.close();
  }
}

async function floorIn(environment: BenchEnvironment, options: BenchOptions): Promise<SectionResult> {
  const { server, scenarios, log, connection } = environment;
  const levels = [1_000, 100_000];
  const rows: FloorRow[] = [];
  let records = 0;
  for (const level of levels) {
    const seconds = await growTokenCollections(connection, records, level);
    records = level;
    log(`  ${integer(level)} records per collection (inserted in ${fixed(seconds, 1)} s)`);
    for (const endpoint of endpoints) {
      const ours = scenarios.variants.find((scenario) => scenario.id === endpoint.id);
      if (!ours) throw new Error(`no scenario ${endpoint.id}`);
      const floor = floorScenario(ours, endpoint.floorApp);
      await checkScenario(server, ours);
      await checkScenario(server, floor);
      const result = await runPaired(
        floor,
        [ours],
        (scenario) => server.url(scenario.app),
        environment.probes,
        {
          repetitions: options.repetitions,
          durationSeconds: options.quick ? 0.5 : 2,
          warmupSeconds: options.quick ? 0.3 : 1,
          connections: 8,
        },
        () => undefined,
      );
      const summary = result.variants[0]!;
      rows.push({
        records: level,
        id: ours.id,
        label: ours.label,
        ours: summary,
        floor: result.baseline,
        simpleJwtReqPerSecond: ours.simpleJwtReqPerSecond,
      });
      log(
        `    ${ours.id}: ${integer(summary.reqPerSecond)} req/s, floor ${integer(result.baseline.reqPerSecond)}, ratio ${fixed(summary.reqPerSecondRatio)}`,
      );
    }
  }
  const backend = await describeBackend(environment);
  const targets: TargetCheck[] = rows.map((row) => ({
    name: `${row.label} at ${integer(row.records)} records, req/s vs its floor (${backend.short})`,
    target: '>= 0.80',
    measured: fixed(row.ours.reqPerSecondRatio),
    pass: row.ours.reqPerSecondRatio >= 0.8,
  }));
  // Simple JWT's figures (SQLite, gunicorn, this machine): ours at 10^3 records on this backend.
  for (const row of rows.filter((each) => each.records === 1_000 && each.simpleJwtReqPerSecond)) {
    const reference = row.simpleJwtReqPerSecond as number;
    const factor = row.id === 'token-blacklist' ? 3 : 1;
    targets.push({
      name: `${row.label} at 10^3 records vs ${factor}x Simple JWT (${integer(reference)} req/s, ${backend.short})`,
      target: `>= ${integer(reference * factor)}`,
      measured: `${integer(row.ours.reqPerSecond)} (${fixed(row.ours.reqPerSecond / reference, 1)}x)`,
      pass: row.ours.reqPerSecond >= reference * factor,
    });
  }
  const markdown = [
    `Database: ${backend.long}. 8 connections, ${options.quick ? 0.5 : 2} s per run, ${options.repetitions} repetitions, ` +
      'each run of an endpoint between two runs of its floor server; ratio = median of the paired req/s ratios. ' +
      'The floor makes the same driver operations by `_id` in the same steps (verify: 1 read; refresh: 2 reads at once; ' +
      'rotation: 1 read, then 3 inserts at once; blacklist: 2 inserts at once; `{ me }`: 1 read) and no token work.',
    '',
    markdownTable(
      [
        'records per collection',
        'endpoint',
        'req/s',
        'floor req/s',
        'x floor',
        'p50 ms',
        'floor p50 ms',
        'Simple JWT req/s',
      ],
      rows.map((row) => [
        integer(row.records),
        row.label,
        integer(row.ours.reqPerSecond),
        integer(row.floor.reqPerSecond),
        `**${fixed(row.ours.reqPerSecondRatio)}**`,
        fixed(row.ours.p50Ms),
        fixed(row.floor.p50Ms),
        row.simpleJwtReqPerSecond ? integer(row.simpleJwtReqPerSecond) : '',
      ]),
    ),
  ].join('\n');
  return {
    id: 'floor',
    title: `Endpoints against their floor servers (${backend.short})`,
    markdown,
    data: { backend, rows },
    targets,
  };
}
