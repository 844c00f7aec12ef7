import { createSecretKey } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga } from 'graphql-yoga';
import jsonwebtoken from 'jsonwebtoken';
import mongoose from 'mongoose';
import {
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  insecureTestScryptOptions,
  type MongoTokenStore,
  type SimpleJwt,
  type SimpleJwtSettings,
  type UserDocument,
} from 'pothos-plugin-simple-jwt';
import { createExampleApp } from '../../examples/yoga/app.js';
import { buildExampleSchema } from '../../examples/yoga/schema.js';
import { createFloorApp } from './floor-app.js';
import type { AppName, BenchUser, ChildConfig, Envelope, Ready, Reply } from './protocol.js';

// The server side of the request benchmarks: the example server's Pothos schema in several
// configurations, one node:http server on 127.0.0.1:0, in a process of its own so that its CPU time
// (process.cpuUsage over IPC) is apart from the load generator's.

// tsx turns source-mapped stack traces on, which makes every Error (a GraphQLError included) cost
// several times what it costs in a compiled deployment; measure the deployment, not the dev loader.
process.setSourceMapsEnabled(false);

const send = (message: Ready | Reply) => process.send?.(message);
const config = JSON.parse(process.env['BENCH_CHILD_CONFIG'] ?? 'null') as ChildConfig | null;
if (!config) throw new Error('server-child: BENCH_CHILD_CONFIG is missing');

const connection = await mongoose.createConnection(config.databaseUri).asPromise();
const cheapHasher = createScryptPasswordHasher(insecureTestScryptOptions);
const productionHasher = createScryptPasswordHasher();
const base: SimpleJwtSettings = { signingKey: config.signingKey, accessTokenLifetime: '1h' };

const db = createExampleApp({
  connection,
  settings: { ...base, rotateRefreshTokens: false },
  passwordHasher: cheapHasher,
});
const rotate = createExampleApp({
  connection,
  settings: { ...base, rotateRefreshTokens: true, blacklistAfterRotation: true },
  passwordHasher: cheapHasher,
});
const login = createExampleApp({ connection, settings: base, passwordHasher: productionHasher });

/** Stateless authentication (claims only, no user lookup) on the same schema and Yoga options. */
function statelessApp(accessTokenCacheSize: number) {
  const jwt = createSimpleJwt<UserDocument>({
    settings: base,
    userLookup: 'stateless',
    accessTokenCacheSize,
  });
  const yoga = createYoga({ schema: buildExampleSchema(jwt), context: jwt.yogaContext, logging: false });
  return { jwt, yoga };
}
const stateless = statelessApp(0);
const statelessCache = statelessApp(10_000);

/**
 * The reference for the per-request cost of authentication: the same schema and Yoga options, with a
 * context factory that only calls jsonwebtoken's `verify` with a prepared KeyObject (no claim rules,
 * no token classes, no errors as Simple JWT's) and hands `whoami` the `user_id` claim.
 */
function plainJsonwebtokenApp() {
  const key = createSecretKey(Buffer.from(config!.signingKey, 'utf8'));
  const anonymous = { user: null, tokenUser: null, token: null };
  const context = ({ request }: { request: Request }) => {
    const header = request.headers.get('authorization');
    if (!header?.startsWith('Bearer ')) return anonymous;
    const claims = jsonwebtoken.verify(header.slice(7), key, { algorithms: ['HS256'] }) as {
      user_id: string;
    };
    return { user: null, token: null, tokenUser: { id: claims.user_id } };
  };
  return {
    jwt: stateless.jwt,
    yoga: createYoga({ schema: buildExampleSchema(stateless.jwt), context, logging: false }),
  };
}
const plainJsonwebtoken = plainJsonwebtokenApp();

interface App {
  /** The instance whose tokens `mint` signs (the floor apps sign none: they use `db`'s). */
  readonly jwt: SimpleJwt<UserDocument>;
  readonly handle: RequestListener;
}

function app(entry: {
  jwt: SimpleJwt<UserDocument>;
  yoga: (request: IncomingMessage, response: ServerResponse) => unknown;
}): App {
  return { jwt: entry.jwt, handle: (request, response) => entry.yoga(request, response) };
}

await (db.jwt.store as MongoTokenStore | null)?.ready();
// A second child (the profiled one) shares the database: reuse the users so earlier tokens stay valid.
const cheapUser =
  (await db.User.findOne({ username: { $eq: 'bench' } })) ??
  (await createUser(db.User, { username: 'bench', password: 'bench-password' }, cheapHasher));
const productionUser =
  (await db.User.findOne({ username: { $eq: 'bench-login' } })) ??
  (await createUser(
    db.User,
    { username: 'bench-login', password: 'bench-login-password' },
    productionHasher,
  ));
const users: Ready['users'] = {
  cheap: benchUser(cheapUser, 'bench-password'),
  production: benchUser(productionUser, 'bench-login-password'),
};

const floorOf = (rotateRefresh: boolean) =>
  app({ jwt: db.jwt, ...createFloorApp({ connection, userId: cheapUser._id, rotate: rotateRefresh }) });
const apps: Record<AppName, App> = {
  db: app(db),
  rotate: app(rotate),
  login: app(login),
  stateless: app(stateless),
  'stateless-cache': app(statelessCache),
  'plain-jsonwebtoken': app(plainJsonwebtoken),
  floor: floorOf(false),
  'floor-rotate': floorOf(true),
};

function benchUser(user: UserDocument, password: string): BenchUser {
  return { id: String(user._id), username: user.username, password };
}

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  const slash = url.indexOf('/', 1);
  const target = apps[url.slice(1, slash) as AppName];
  if (slash < 0 || !target) {
    response.writeHead(404).end();
    return;
  }
  request.url = url.slice(slash);
  target.handle(request, response);
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

/**
 * Tokens for the benchmark user, signed by `app`'s instance; with `record`, refresh tokens are
 * recorded as outstanding with one insertMany per batch, as if issued by tokenObtainPair.
 */
async function mint(
  appName: AppName,
  kind: 'refresh' | 'access',
  count: number,
  record: boolean,
): Promise<string[]> {
  const { jwt } = apps[appName];
  const TokenClass = kind === 'refresh' ? jwt.tokens.RefreshToken : jwt.tokens.AccessToken;
  const { userIdClaim, jtiClaim } = jwt.settings;
  const strings: string[] = [];
  const records: object[] = [];
  for (let index = 0; index < count; index += 1) {
    const token = new TokenClass();
    token.set(userIdClaim, users.cheap.id);
    strings.push(token.toString());
    records.push({
      _id: token.get(jtiClaim ?? 'jti'),
      user: users.cheap.id,
      tokenType: kind,
      createdAt: token.currentTime,
      expiresAt: new Date((token.get('exp') as number) * 1000),
    });
  }
  if (kind === 'refresh' && record) {
    const collection = connection.collection('outstanding_tokens');
    for (let start = 0; start < records.length; start += 5_000) {
      await collection.insertMany(records.slice(start, start + 5_000) as never[], { ordered: false });
    }
  }
  return strings;
}

process.on('message', async (message: Envelope) => {
  try {
    switch (message.type) {
      case 'cpu': {
        const { user, system } = process.cpuUsage();
        send({ type: 'reply', id: message.id, ok: true, result: { user, system } });
        return;
      }
      case 'clock':
        send({ type: 'reply', id: message.id, ok: true, result: Number(process.hrtime.bigint() / 1000n) });
        return;
      case 'mint':
        send({
          type: 'reply',
          id: message.id,
          ok: true,
          result: await mint(message.app, message.kind, message.count, message.record),
        });
        return;
      case 'exit':
        server.close();
        server.closeAllConnections();
        await connection.close();
        // Exit (not just disconnect) so that a --cpu-prof profile is written now.
        process.send?.({ type: 'reply', id: message.id, ok: true, result: null }, () => process.exit(0));
        return;
    }
  } catch (error) {
    send({ type: 'reply', id: message.id, ok: false, error: String((error as Error)?.stack ?? error) });
  }
});

send({ type: 'ready', port: (server.address() as AddressInfo).port, users });
