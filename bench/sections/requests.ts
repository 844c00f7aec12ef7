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
  const { baseline } = scenarios;
  const wanted = options.scenarios;
  const variants = wanted
    ? scenarios.variants.filter((variant) => wanted.includes(variant.id))
    : scenarios.variants;
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
  const byId = (id: string) => all.find((summary) => summary.id === id);
  const stateless = byId('whoami-id-stateless');
  const statelessFull = byId('whoami-stateless');
  const cached = byId('whoami-id-stateless-cache');
  const unauthenticated = byId('me-anonymous');
  const targets: TargetCheck[] = [
    ...(stateless
      ? [
          ratioTarget('stateless `{ whoami { id } }`, no cache: req/s vs baseline', stateless, 0.85),
          cpuTarget('stateless `{ whoami { id } }`, no cache: extra server CPU per request', stateless, 60),
        ]
      : []),
    ...(statelessFull
      ? [ratioTarget('stateless `{ whoami }` (all claims) req/s vs baseline', statelessFull, 0.85)]
      : []),
    ...(cached
      ? [
          ratioTarget('stateless `{ whoami { id } }`, cache hit: req/s vs baseline', cached, 0.93),
          cpuTarget('stateless `{ whoami { id } }`, cache hit: extra server CPU per request', cached, 25),
        ]
      : []),
    ...(unauthenticated
      ? [cpuTarget('`{ me }` without a token (401): extra server CPU per request', unauthenticated, 120)]
      : []),
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
  const primary = markdownTable(
    ['scenario', 'extra server CPU µs/request (median of paired)', 'per repetition', 'x baseline req/s'],
    result.variants.map((summary) => [
      summary.label,
      `**${fixed(summary.extraCpuMicros, 0)}**`,
      summary.extraCpuMicrosPerRepetition.join(', '),
      fixed(summary.reqPerSecondRatio),
    ]),
  );
  const markdown = [
    `Extra server CPU per request over the baseline (${integer(result.baseline.serverCpuMicrosPerRequest)} µs), ` +
      'each run against the two baseline runs beside it; the primary figure (steadier than req/s on a shared machine):',
    '',
    primary,
    '',
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

function cpuTarget(name: string, summary: PairedSummary, maximumMicros: number): TargetCheck {
  return {
    name,
    target: `<= ${maximumMicros} µs`,
    measured: `${fixed(summary.extraCpuMicros, 1)} µs`,
    pass: summary.extraCpuMicros <= maximumMicros,
  };
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
