import type { BenchEnvironment } from '../lib/environment.js';
import type { BenchOptions } from '../lib/options.js';
import { type PairedSummary, runPaired } from '../lib/paired-runs.js';
import { fixed, integer, markdownTable, type SectionResult, type TargetCheck } from '../lib/report.js';
import { checkScenario } from '../lib/scenarios.js';

/** Request benchmarks over loopback HTTP: every endpoint against the `{ me }`-without-token baseline. */
export async function runRequests(
  environment: BenchEnvironment,
  options: BenchOptions,
): Promise<SectionResult> {
  const { server, scenarios, log } = environment;
  const { baseline, variants } = scenarios;
  for (const scenario of [baseline, ...variants]) await checkScenario(server, scenario);
  const connections = 8;
  const result = await runPaired(
    baseline,
    variants,
    (scenario) => server.url(scenario.app),
    environment.probes,
    {
      repetitions: options.repetitions,
      durationSeconds: options.quick ? 0.3 : 2,
      warmupSeconds: options.quick ? 0.3 : 1,
      connections,
    },
    log,
  );
  const all = [result.baseline, ...result.variants];
  const byId = (id: string) => all.find((summary) => summary.id === id)!;
  const stateless = byId('whoami-id-stateless');
  const statelessFull = byId('whoami-stateless');
  const cached = byId('whoami-id-stateless-cache');
  const targets: TargetCheck[] = [
    ratioTarget('stateless `{ whoami { id } }` req/s vs baseline', stateless, 0.85),
    ratioTarget('stateless `{ whoami }` (all claims) req/s vs baseline', statelessFull, 0.85),
    {
      name: 'stateless `{ whoami { id } }` extra server CPU per request vs baseline',
      target: '<= 60 µs',
      measured: `${fixed(stateless.extraCpuMicros, 1)} µs`,
      pass: stateless.extraCpuMicros <= 60,
    },
    ratioTarget(
      'stateless `{ whoami { id } }` with verified-token cache req/s vs baseline (aim)',
      cached,
      0.95,
    ),
  ];
  for (const summary of result.variants) {
    const reference = variants.find((variant) => variant.id === summary.id)?.simpleJwtReqPerSecond;
    if (reference === undefined) continue;
    targets.push({
      name: `${summary.label} req/s vs 3x Simple JWT (${integer(reference)})`,
      target: `>= ${integer(reference * 3)}`,
      measured: `${integer(summary.reqPerSecond)} (${fixed(summary.reqPerSecond / reference, 1)}x)`,
      pass: summary.reqPerSecond >= reference * 3,
    });
  }
  const markdown = [
    `${connections} connections, ${options.quick ? 0.3 : 2} s per run, ${options.repetitions} repetitions, ` +
      'each run between two baseline runs; ratios are medians of the paired ratios.',
    '',
    markdownTable(
      [
        'scenario',
        'req/s',
        'x baseline',
        'p50 ms',
        'p99 ms',
        'p99 x',
        'server CPU µs/req',
        'extra CPU µs',
        'DB CPU µs/req',
        'Simple JWT req/s',
        'x Simple JWT',
        'bad responses',
      ],
      all.map((summary) =>
        row(summary, variants.find((variant) => variant.id === summary.id)?.simpleJwtReqPerSecond),
      ),
    ),
  ].join('\n');
  return { id: 'requests', title: 'Request benchmarks (loopback HTTP)', markdown, data: result, targets };
}

function ratioTarget(name: string, summary: PairedSummary, minimum: number): TargetCheck {
  return {
    name,
    target: `>= ${fixed(minimum)}`,
    measured: fixed(summary.reqPerSecondRatio),
    pass: summary.reqPerSecondRatio >= minimum,
  };
}

function row(summary: PairedSummary, simpleJwt: number | undefined): (string | number)[] {
  return [
    summary.label,
    integer(summary.reqPerSecond),
    fixed(summary.reqPerSecondRatio),
    fixed(summary.p50Ms),
    fixed(summary.p99Ms),
    fixed(summary.p99Ratio),
    integer(summary.serverCpuMicrosPerRequest),
    fixed(summary.extraCpuMicros, 0),
    summary.databaseCpuMicrosPerRequest === undefined ? 'n/a' : integer(summary.databaseCpuMicrosPerRequest),
    simpleJwt === undefined ? '' : integer(simpleJwt),
    simpleJwt === undefined ? '' : `${fixed(summary.reqPerSecond / simpleJwt, 1)}x`,
    summary.unexpectedResponses,
  ];
}
