import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import {
  createScryptPasswordHasher,
  createUser,
  insecureTestScryptOptions,
  type MongoTokenFamilyStore,
  type MongoTokenStore,
  type SimpleJwtSettings,
} from 'pothos-plugin-simple-jwt';
import { launchDevDatabase } from 'pothos-plugin-simple-jwt/dev-database';
import { createExampleApp } from '../examples/yoga/app.js';

// `npx tsx bench/sessions-refresh.ts [seconds-per-run] [rounds]`: tokenRefresh with rotation and
// blacklistAfterRotation, with token families and reuse detection (the default) and without
// (`familyClaim: null`), on the development database, in-process through `yoga.fetch`. Each run keeps
// `chains` refresh chains busy (a refresh token can be used once, so each chain refreshes the token
// its previous refresh returned); runs alternate between the two configurations, and the report
// gives each one's median req/s and the ratio.

process.setSourceMapsEnabled(false);
const seconds = Number(process.argv[2] ?? 3);
const rounds = Number(process.argv[3] ?? 5);
const chains = 8;
const database = await launchDevDatabase({
  databaseName: `bench_sessions_${randomBytes(4).toString('hex')}`,
});
const connection = await mongoose.createConnection(database.uri).asPromise();
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const base: SimpleJwtSettings = {
  signingKey: randomBytes(64),
  rotateRefreshTokens: true,
  blacklistAfterRotation: true,
};
const configurations = {
  'without families': { ...base, familyClaim: null },
  'families + reuse detection': base,
} as const;
const apps = Object.fromEntries(
  Object.entries(configurations).map(([name, settings]) => [
    name,
    createExampleApp({ connection, settings, passwordHasher: hasher }),
  ]),
);
const first = Object.values(apps)[0];
if (!first) throw new Error('no configuration');
await first.User.init();
await createUser(first.User, { username: 'bench', password: 'bench-password' }, hasher);
for (const app of Object.values(apps)) {
  await (app.jwt.store as MongoTokenStore).ready();
  await (app.jwt.families as MongoTokenFamilyStore | null)?.ready();
}

const url = 'http://localhost/graphql';
const headers = { 'content-type': 'application/json', accept: 'application/json' };
async function call(app: (typeof apps)[string], query: string, variables: object) {
  const response = await app.yoga.fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, { refresh?: string; access?: string }> };
}
const loginQuery = 'mutation($u:String!,$p:String!){tokenObtainPair(username:$u,password:$p){refresh}}';
const refreshQuery = 'mutation($r:String!){tokenRefresh(refresh:$r){access refresh}}';

async function run(app: (typeof apps)[string]): Promise<number> {
  const tokens = await Promise.all(
    Array.from({ length: chains }, async () => {
      const result = await call(app, loginQuery, { u: 'bench', p: 'bench-password' });
      return result.data?.['tokenObtainPair']?.refresh ?? '';
    }),
  );
  let done = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    tokens.map(async (initial) => {
      let token = initial;
      while (performance.now() < end) {
        const result = await call(app, refreshQuery, { r: token });
        const next = result.data?.['tokenRefresh']?.refresh;
        if (!next) throw new Error(`refresh failed: ${JSON.stringify(result)}`);
        token = next;
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

const results: Record<string, number[]> = {};
for (let round = 0; round < rounds; round += 1) {
  const names = Object.keys(apps);
  // Alternate which configuration runs first, so warm-up and drift fall on both.
  if (round % 2 === 1) names.reverse();
  for (const name of names) {
    const app = apps[name];
    if (!app) continue;
    const runs = results[name] ?? [];
    runs.push(await run(app));
    results[name] = runs;
  }
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
console.log(`tokenRefresh with rotation, ${chains} chains, ${rounds} x ${seconds}s runs per configuration:`);
for (const [name, values] of Object.entries(results)) {
  console.log(
    `  ${name}: median ${median(values).toFixed(0)} req/s (runs: ${values.map((v) => v.toFixed(0)).join(', ')})`,
  );
}
const [without, withFamilies] = Object.values(results).map(median);
if (without && withFamilies) console.log(`  ratio with/without: ${(withFamilies / without).toFixed(2)}`);
await connection.dropDatabase();
await connection.close();
await database.stop();
