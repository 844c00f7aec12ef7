import { createSecretKey } from 'node:crypto';
import { createYoga } from 'graphql-yoga';
import jsonwebtoken from 'jsonwebtoken';
import { buildExampleSchema } from '../../examples/yoga/schema.js';
import { createSimpleJwt, type UserDocument } from '../../src/index.js';
import { body, meQuery, whoamiIdQuery } from '../lib/documents.js';

// One side of bench/ab/request-cpu.ts: this checkout's example schema on Yoga, answering "run a
// block of N requests of case X" with the CPU µs per request it took (process.cpuUsage).

process.setSourceMapsEnabled(false);
const signingKey = process.env['BENCH_SIGNING_KEY'] ?? '';
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
const bearer = `Bearer ${await stateless.jwt.tokens.AccessToken.forUser({ id: '65f0c0ffee0123456789abcd' } as never)}`;

interface Case {
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly query: string;
  readonly authorization?: string;
  readonly status: number;
}
const cases: Record<string, Case> = {
  baseline: { fetch: stateless.yoga.fetch, query: whoamiIdQuery, status: 200 },
  'me-anonymous': { fetch: stateless.yoga.fetch, query: meQuery, status: 401 },
  stateless: { fetch: stateless.yoga.fetch, query: whoamiIdQuery, authorization: bearer, status: 200 },
  'stateless-cache': { fetch: cached.yoga.fetch, query: whoamiIdQuery, authorization: bearer, status: 200 },
  'plain-jsonwebtoken': { fetch: plain.fetch, query: whoamiIdQuery, authorization: bearer, status: 200 },
};

async function block(scenario: Case, size: number, concurrency = 8): Promise<number> {
  const payload = body(scenario.query);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (scenario.authorization) headers['authorization'] = scenario.authorization;
  const one = async () => {
    const response = await scenario.fetch(
      new Request('http://bench/graphql', { method: 'POST', headers, body: payload }),
    );
    await response.text();
    if (response.status !== scenario.status) throw new Error(`HTTP ${response.status}`);
  };
  const start = process.cpuUsage();
  for (let sent = 0; sent < size; sent += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, size - sent) }, one));
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / size;
}

process.on('message', (message: { id: string; size: number }) => {
  const scenario = cases[message.id];
  if (!scenario) throw new Error(`unknown case ${message.id}`);
  void block(scenario, message.size).then((cpu) => process.send?.({ cpu }));
});
process.send?.({ ready: true });
