import { createSecretKey } from 'node:crypto';
import { createYoga } from 'graphql-yoga';
import jsonwebtoken from 'jsonwebtoken';
import { createExampleApp } from '../../examples/yoga/app.js';
import { buildExampleSchema } from '../../examples/yoga/schema.js';
import {
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  insecureTestScryptOptions,
  type UserDocument,
} from '../../src/index.js';
import { body, meQuery, whoamiIdQuery } from '../lib/documents.js';
import type { BenchEnvironment } from '../lib/environment.js';
import type { BenchOptions } from '../lib/options.js';
import { fixed, markdownTable, type SectionResult, type TargetCheck } from '../lib/report.js';
import { median, round } from '../lib/stats.js';

interface Case {
  readonly id: string;
  readonly label: string;
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly query: string;
  readonly authorization?: string;
  readonly status: number;
}

/**
 * Server CPU per request measured in-process: Yoga's `fetch` (no sockets, no load generator sharing
 * the cores), `process.cpuUsage()` around blocks of requests, each block of a case between two blocks
 * of the baseline, many short rounds. On a machine shared with other work, blocks of a fraction of a
 * second interleaved this finely see the same load, which 2-second HTTP runs do not.
 */
export async function runRequestCpu(
  environment: BenchEnvironment,
  options: BenchOptions,
): Promise<SectionResult> {
  const signingKey = environment.childConfig.signingKey;
  const settings = { signingKey, accessTokenLifetime: '1h' };
  const statelessApp = (accessTokenCacheSize: number) => {
    const jwt = createSimpleJwt<UserDocument>({ settings, userLookup: 'stateless', accessTokenCacheSize });
    return {
      jwt,
      yoga: createYoga({ schema: buildExampleSchema(jwt), context: jwt.yogaContext, logging: false }),
    };
  };
  const stateless = statelessApp(0);
  const cached = statelessApp(10_000);
  const key = createSecretKey(Buffer.from(signingKey, 'utf8'));
  const anonymous = { user: null, tokenUser: null, token: null };
  const plain = createYoga({
    schema: buildExampleSchema(stateless.jwt),
    logging: false,
    context: ({ request }: { request: Request }) => {
      const header = request.headers.get('authorization');
      if (!header?.startsWith('Bearer ')) return anonymous;
      const claims = jsonwebtoken.verify(header.slice(7), key, { algorithms: ['HS256'] }) as {
        user_id: string;
      };
      return { user: null, token: null, tokenUser: { id: claims.user_id } };
    },
  });
  const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
  const db = createExampleApp({ connection: environment.connection, settings, passwordHasher: hasher });
  const user =
    (await db.User.findOne({ username: { $eq: 'bench-cpu' } })) ??
    (await createUser(db.User, { username: 'bench-cpu', password: 'bench-password' }, hasher));
  const access = String(await db.jwt.tokens.AccessToken.forUser(user));
  const bearer = `Bearer ${access}`;

  const baseline: Case = {
    id: 'baseline',
    label: '`{ whoami { id } }` without a token (baseline)',
    fetch: stateless.yoga.fetch,
    query: whoamiIdQuery,
    status: 200,
  };
  const cases: Case[] = [
    {
      id: 'me-anonymous',
      label: '`{ me }` without a token (401)',
      fetch: db.yoga.fetch,
      query: meQuery,
      status: 401,
    },
    {
      id: 'stateless',
      label: '`{ whoami { id } }` stateless, no cache',
      fetch: stateless.yoga.fetch,
      query: whoamiIdQuery,
      authorization: bearer,
      status: 200,
    },
    {
      id: 'stateless-cache',
      label: '`{ whoami { id } }` stateless, cache hit',
      fetch: cached.yoga.fetch,
      query: whoamiIdQuery,
      authorization: bearer,
      status: 200,
    },
    {
      id: 'plain-jsonwebtoken',
      label: '`{ whoami { id } }`, plain Yoga + jsonwebtoken context (reference)',
      fetch: plain.fetch,
      query: whoamiIdQuery,
      authorization: bearer,
      status: 200,
    },
    {
      id: 'me-database',
      label: '`{ me }` database user lookup (cache on)',
      fetch: db.yoga.fetch,
      query: meQuery,
      authorization: bearer,
      status: 200,
    },
  ];

  // As in the server child: tsx's source-mapped stack traces are not what a deployment pays for.
  process.setSourceMapsEnabled(false);
  const blockSize = options.quick ? 50 : 200;
  const rounds = options.quick ? 8 : 25;
  const concurrency = 8;
  /** CPU µs per request over one block of `size` requests, `concurrency` in flight. */
  async function block(scenario: Case, size: number): Promise<number> {
    const payload = body(scenario.query);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (scenario.authorization) headers['authorization'] = scenario.authorization;
    const one = async () => {
      const response = await scenario.fetch(
        new Request('http://bench/graphql', { method: 'POST', headers, body: payload }),
      );
      await response.text();
      if (response.status !== scenario.status) throw new Error(`${scenario.id}: HTTP ${response.status}`);
    };
    const start = process.cpuUsage();
    for (let sent = 0; sent < size; sent += concurrency) {
      await Promise.all(Array.from({ length: Math.min(concurrency, size - sent) }, one));
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / size;
  }

  for (const scenario of [baseline, ...cases]) await block(scenario, blockSize); // warm-up
  const extras = new Map<string, number[]>(cases.map((scenario) => [scenario.id, []]));
  const baselines: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    let before = await block(baseline, blockSize);
    baselines.push(before);
    for (const scenario of cases) {
      const cpu = await block(scenario, blockSize);
      const after = await block(baseline, blockSize);
      baselines.push(after);
      extras.get(scenario.id)?.push(cpu - (before + after) / 2);
      before = after;
    }
    environment.log(`  request-cpu round ${round + 1}/${rounds}`);
  }
  const extraOf = (id: string) => round(median(extras.get(id) ?? []), 1);
  const quartiles = (id: string) => {
    const sorted = [...(extras.get(id) ?? [])].sort((a, b) => a - b);
    return `${fixed(sorted[Math.floor(sorted.length / 4)] ?? Number.NaN, 0)} to ${fixed(sorted[Math.floor((3 * sorted.length) / 4)] ?? Number.NaN, 0)}`;
  };
  const target = (name: string, id: string, maximum: number): TargetCheck => ({
    name,
    target: `<= ${maximum} µs`,
    measured: `${fixed(extraOf(id), 1)} µs`,
    pass: extraOf(id) <= maximum,
  });
  const targets = [
    target('in-process: stateless, no cache: extra server CPU per request', 'stateless', 60),
    target('in-process: stateless, cache hit: extra server CPU per request', 'stateless-cache', 25),
    target('in-process: `{ me }` without a token (401): extra server CPU per request', 'me-anonymous', 120),
  ];
  const markdown = [
    `Yoga's \`fetch\` in the runner process, ${rounds} rounds of blocks of ${blockSize} requests (${concurrency} in flight), ` +
      `each block of a case between two baseline blocks; baseline ${fixed(median(baselines), 0)} µs CPU per request.`,
    '',
    markdownTable(
      ['scenario', 'extra server CPU µs/request (median of paired)', 'interquartile range'],
      cases.map((scenario) => [
        scenario.label,
        `**${fixed(extraOf(scenario.id), 0)}**`,
        quartiles(scenario.id),
      ]),
    ),
  ].join('\n');
  const data = { baselines, extras: Object.fromEntries(extras) };
  return {
    id: 'request-cpu',
    title: 'Server CPU per request, in-process (Yoga fetch)',
    markdown,
    data,
    targets,
  };
}
