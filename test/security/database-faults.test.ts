import { createYoga } from 'graphql-yoga';
import mongoose from 'mongoose';
import {
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  createUserModel,
  insecureTestScryptOptions,
} from 'pothos-plugin-simple-jwt';
import { launchDevDatabase } from 'pothos-plugin-simple-jwt/dev-database';
import { afterAll, describe, expect, it } from 'vitest';
import { buildExampleSchema } from '../../examples/yoga/schema.js';
import { segmentJson } from '../support/forge-jwt.js';
import {
  exampleServerSettings,
  expectRefused,
  type HttpResult,
  listenOnLoopback,
  operations,
  password,
  postGraphql,
  tokenPattern,
} from './fixtures/hostile-app.js';
import { invalidToken } from './fixtures/token-battery.js';

// A database server of this file's own, made to hang (SIGSTOP) and then to go away entirely (stopped
// and restarted on the same port and data directory): every operation that needs the database fails
// closed with TOKEN_STORE_UNAVAILABLE (503) once the store's deadline runs out, and mints nothing;
// stateless access-token authentication keeps working; afterwards a refresh token issued before works
// exactly once.
const database = await launchDevDatabase({ log: false, skip: ['MONGODB_URI'] });
afterAll(() => database.stop());
const server = database.server;
const operationTimeoutMs = 1000;

const connection = await mongoose
  .createConnection(database.uri, { serverSelectionTimeoutMS: 1000 })
  .asPromise();
afterAll(() => connection.close(true));
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const User = createUserModel(connection);
await User.init();
await createUser(User, { username: 'demo', password }, hasher);
const settings = exampleServerSettings;
const common = {
  settings,
  connection,
  userModel: User,
  passwordHasher: hasher,
  tokenStore: { operationTimeoutMs },
};
// Database mode (the example server) and the same service in stateless mode.
const jwt = createSimpleJwt(common);
const stateless = createSimpleJwt({ ...common, userLookup: 'stateless' });
const serve = async (instance: typeof jwt) =>
  listenOnLoopback(
    createYoga({ schema: buildExampleSchema(instance), context: instance.yogaContext, logging: false }),
  );
const [url, statelessUrl] = await Promise.all([serve(jwt), serve(stateless)]);
await jwt.store?.flushExpired(new Date(0)); // indexes created while the database is up

async function obtainPair() {
  const result = await postGraphql(url, {
    query: operations.obtain,
    variables: { username: 'demo', password },
  });
  return result.data?.['tokenObtainPair'] as { access: string; refresh: string };
}

const unavailable = {
  status: 503,
  code: 'TOKEN_STORE_UNAVAILABLE',
  message: 'The token store is unavailable. Try again later.',
};

/**
 * Every operation that needs the database, at once: each must be answered 503, with no token.
 * The logout is of `logoutRefresh`, another session's token: logout is one insert, sent at once, so
 * a server that hangs after receiving it may still carry it out when it resumes (the client got a
 * 503: the outcome is unknown, and "logged out" is the safe one).
 */
async function expectFailClosed(pair: { access: string; refresh: string }, logoutRefresh: string) {
  const requests: [string, () => Promise<HttpResult>][] = [
    [
      'login',
      () => postGraphql(url, { query: operations.obtain, variables: { username: 'demo', password } }),
    ],
    [
      'sliding login',
      () => postGraphql(url, { query: operations.obtainSliding, variables: { username: 'demo', password } }),
    ],
    ['refresh', () => postGraphql(url, { query: operations.refresh, variables: { refresh: pair.refresh } })],
    [
      'blacklist',
      () => postGraphql(url, { query: operations.blacklist, variables: { refresh: logoutRefresh } }),
    ],
    [
      'verify (blacklist on)',
      () => postGraphql(url, { query: operations.verify, variables: { token: pair.refresh } }),
    ],
    [
      'user lookup (database mode)',
      () => postGraphql(url, { query: operations.me }, `Bearer ${pair.access}`),
    ],
  ];
  const outcomes = await Promise.all(
    requests.map(async ([name, send]) => {
      const started = performance.now();
      const result = await send().catch((error: Error) => error);
      return { name, result, elapsedMs: Math.round(performance.now() - started) };
    }),
  );
  const unanswered = outcomes.filter(({ result }) => result instanceof Error);
  expect(unanswered.map(({ name, elapsedMs }) => `${name}: no answer after ${elapsedMs} ms`)).toEqual([]);
  for (const { name, result } of outcomes) {
    expect((result as HttpResult).body, name).not.toMatch(tokenPattern);
    expect([name, (result as HttpResult).status]).toEqual([name, 503]);
    expectRefused(result as HttpResult, unavailable);
  }
}

/** Stateless access-token authentication needs no database: it answers as usual (not 503). */
async function expectStatelessWorks(access: string) {
  const whoami = await postGraphql(statelessUrl, { query: operations.whoami }, `Bearer ${access}`);
  expect(whoami.status).toBe(200);
  expect(whoami.data).toEqual({ whoami: { id: expect.any(String), tokenType: 'access' } });
}

/** After the outage the refresh token issued before it works once, then is blacklisted. */
async function expectRefreshWorksExactlyOnce(refresh: string) {
  const first = await postGraphql(url, { query: operations.refresh, variables: { refresh } });
  expect(first.errors).toBeUndefined();
  expect(first.data?.['tokenRefresh']).toEqual({ access: expect.any(String), refresh: expect.any(String) });
  const second = await postGraphql(url, { query: operations.refresh, variables: { refresh } });
  expectRefused(second, invalidToken('Token is blacklisted'));
}

async function waitForDatabase(timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await connection.db?.admin().ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Record counts, leaving out the records of the token `except` (the outage's logout). */
const tokenCounts = async (except = '') => ({
  outstanding: await connection
    .collection<{ _id: string }>('outstanding_tokens')
    .countDocuments({ _id: { $ne: except } }),
  blacklisted: await connection
    .collection<{ _id: string }>('blacklisted_tokens')
    .countDocuments({ _id: { $ne: except } }),
});

describe.skipIf(server === undefined)('the database fails', () => {
  it('while it hangs (SIGSTOP): fail closed, stateless still works, then recovery (SIGCONT)', async () => {
    const pair = await obtainPair();
    const logout = (await obtainPair()).refresh;
    const logoutJti = (segmentJson(logout, 1) as { jti: string }).jti;
    const before = await tokenCounts(logoutJti);
    const pid = server?.pid as number;
    process.kill(pid, 'SIGSTOP');
    try {
      await expectFailClosed(pair, logout);
      await expectStatelessWorks(pair.access);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitForDatabase();
    // Nothing was minted or blacklisted during the outage (but for the logout, see expectFailClosed).
    expect(await tokenCounts(logoutJti)).toEqual(before);
    await expectRefreshWorksExactlyOnce(pair.refresh);
  });

  it('while it is stopped: fail closed, stateless still works, then recovery (restart, same data)', async () => {
    const pair = await obtainPair();
    const logout = (await obtainPair()).refresh;
    const before = await tokenCounts();
    await server?.halt();
    try {
      await expectFailClosed(pair, logout);
      await expectStatelessWorks(pair.access);
    } finally {
      await server?.start();
    }
    await waitForDatabase();
    expect(await tokenCounts()).toEqual(before);
    // The replay inside revoked the login's family (reuse detection): a new login's access token.
    await expectRefreshWorksExactlyOnce(pair.refresh);
    const me = await postGraphql(url, { query: operations.me }, `Bearer ${(await obtainPair()).access}`);
    expect(me.data).toEqual({ me: { id: expect.any(String), username: 'demo' } });
  });
});
