import { randomBytes } from 'node:crypto';
import { createYoga } from 'graphql-yoga';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenObtainPairDocument, TokenObtainSlidingDocument } from '../../examples/generated/graphql.js';
import { buildExampleSchema } from '../../examples/yoga/schema.js';
import {
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  createUserModel,
  insecureTestScryptOptions,
  type SimpleJwtSettings,
  type UserDocument,
} from '../../src/index.js';
import { usernameKey } from '../../src/throttle/login-throttle.js';
import { connectFreshDatabase } from '../support/database.js';
import { type GraphQLResponse, graphqlClient } from '../support/graphql-client.js';
import { testClock } from '../support/token-fixture.js';
import { countingHasher } from '../throttle/throttle-fixture.js';
import { type ListeningServer, listen } from './listen.js';

// The example server's schema with login throttling on, served by graphql-yoga over real HTTP on the
// real database: the address counted is the socket peer (127.0.0.1 here), whatever a client claims
// in X-Forwarded-For. The store deadline is a hang guard here, not a speed limit: 50 parallel
// logins on a busy 2-core machine may take longer than the default 5 seconds.
const clock = testClock(Math.floor(Date.now() / 1000));
const connection = await connectFreshDatabase('yoga_throttle');
const { hasher, counts } = countingHasher();
const User = createUserModel(connection);
await createUser(
  User,
  { username: 'demo', password: 'demo-password' },
  createScryptPasswordHasher(insecureTestScryptOptions),
);
const servers: ListeningServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

/** A Yoga server of the example schema with login throttling on, on its own counters collection. */
async function throttledServer(collection: string, settings: SimpleJwtSettings = {}) {
  const jwt = createSimpleJwt<UserDocument>({
    settings: {
      signingKey: randomBytes(64).toString('base64url'),
      authTokenClasses: ['access', 'sliding'],
      loginThrottle: true,
      loginThrottleCollection: collection,
      ...settings,
    },
    connection,
    tokenStore: { operationTimeoutMs: 120_000 },
    userModel: User,
    passwordHasher: hasher,
    now: clock,
  });
  // Creates the counters' indexes (as the first login would), so the bursts below only count.
  await jwt.flushExpiredTokens();
  const yoga = createYoga({ schema: buildExampleSchema(jwt), context: jwt.yogaContext, logging: false });
  const server = await listen(yoga);
  servers.push(server);
  return {
    jwt,
    server,
    execute: graphqlClient(fetch, server.url),
    counters: connection.collection(collection),
  };
}

// Usernames: the address limit is out of the way, so every refusal below is the username's.
const byUsername = await throttledServer('attempts_by_username', { loginThrottleAddressFailures: 1000 });
// Addresses: the default limits.
const byAddress = await throttledServer('attempts_by_address');

/** Status, code and Retry-After of one response. */
function outcome<T>(response: GraphQLResponse<T>) {
  const error = response.errors?.[0];
  return {
    status: response.status,
    code: error?.extensions?.['code'] ?? 'OK',
    retryAfter: response.headers.get('retry-after'),
  };
}

const refused = (seconds: number) => ({
  status: 429,
  code: 'TOO_MANY_ATTEMPTS',
  retryAfter: String(seconds),
});
const wrongPassword = { status: 401, code: 'NO_ACTIVE_ACCOUNT', retryAfter: null };

/** `count` parallel logins of `username` with a wrong password, as they answered. */
async function parallelWrongGuesses(username: string, count: number) {
  const { execute } = byUsername;
  const responses = await Promise.all(
    Array.from({ length: count }, () => execute(TokenObtainPairDocument, { username, password: 'guess' })),
  );
  return responses.map(outcome);
}

function tally(outcomes: { code: unknown }[]) {
  const result: Record<string, number> = {};
  for (const { code } of outcomes) result[String(code)] = (result[String(code)] ?? 0) + 1;
  return result;
}

describe('login throttling over HTTP', () => {
  it('lets exactly 5 of 50 parallel wrong guesses check the password: margin 0', async () => {
    const outcomes = await parallelWrongGuesses('demo', 50);
    expect(tally(outcomes)).toEqual({ NO_ACTIVE_ACCOUNT: 5, TOO_MANY_ATTEMPTS: 45 });
    expect(outcomes.filter((answer) => answer.code === 'NO_ACTIVE_ACCOUNT')).toEqual(
      Array(5).fill(wrongPassword),
    );
    expect(outcomes.filter((answer) => answer.code === 'TOO_MANY_ATTEMPTS')).toEqual(
      Array(45).fill(refused(60)),
    );
    expect(counts.checks).toBe(5);
  });

  it('after the wait, lets exactly one of 50 parallel guesses through, then waits twice as long', async () => {
    clock.advance(60);
    const before = counts.checks;
    const outcomes = await parallelWrongGuesses('demo', 50);
    expect(tally(outcomes)).toEqual({ NO_ACTIVE_ACCOUNT: 1, TOO_MANY_ATTEMPTS: 49 });
    expect(counts.checks - before).toBe(1);
    const right = { username: 'demo', password: 'demo-password' };
    expect(outcome(await byUsername.execute(TokenObtainPairDocument, right))).toEqual(refused(120));
  });

  it('answers an unknown username exactly as a known one', async () => {
    const outcomes = await parallelWrongGuesses('nobody-here', 50);
    expect(tally(outcomes)).toEqual({ NO_ACTIVE_ACCOUNT: 5, TOO_MANY_ATTEMPTS: 45 });
    expect(outcomes.filter((answer) => answer.code === 'TOO_MANY_ATTEMPTS')).toEqual(
      Array(45).fill(refused(60)),
    );
  });

  it('throttles tokenObtainSliding too', async () => {
    const response = await byUsername.execute(TokenObtainSlidingDocument, {
      username: 'demo',
      password: 'demo-password',
    });
    expect(outcome(response)).toEqual(refused(120));
    expect(response.data?.tokenObtainSliding ?? null).toBeNull();
  });

  it('lets the user in once the wait is over, and the success resets the username', async () => {
    clock.advance(120);
    const right = { username: 'demo', password: 'demo-password' };
    expect(outcome(await byUsername.execute(TokenObtainPairDocument, right))).toEqual({
      status: 200,
      code: 'OK',
      retryAfter: null,
    });
    expect(await byUsername.counters.countDocuments({ key: usernameKey('demo') })).toBe(0);
    expect(tally(await parallelWrongGuesses('demo', 10))).toEqual({
      NO_ACTIVE_ACCOUNT: 5,
      TOO_MANY_ATTEMPTS: 5,
    });
  });
});

describe('login throttling by client address over HTTP', () => {
  it('counts the socket peer address, not X-Forwarded-For', async () => {
    const spoofed = await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        fetch(byAddress.server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${index}` },
          body: JSON.stringify({
            query: TokenObtainPairDocument.toString(),
            variables: { username: `someone${index}`, password: 'guess' },
          }),
        }).then((response) => response.status),
      ),
    );
    expect(spoofed.sort()).toEqual([...Array(20).fill(401), ...Array(5).fill(429)]);
    expect(await byAddress.counters.countDocuments({ key: { $regex: '^a:198' } })).toBe(0);
    expect(await byAddress.counters.countDocuments({ key: 'a:127.0.0.1' })).toBe(20);
  });

  it('refuses even the right password from that address until its wait is over; the success keeps the address count', async () => {
    const right = { username: 'demo', password: 'demo-password' };
    expect(outcome(await byAddress.execute(TokenObtainPairDocument, right))).toEqual(refused(60));
    clock.advance(60);
    expect(outcome(await byAddress.execute(TokenObtainPairDocument, right)).status).toBe(200);
    expect(await byAddress.counters.countDocuments({ key: 'a:127.0.0.1' })).toBe(20);
    // One more failure goes through after the wait, then the address waits twice as long.
    const guess = () =>
      byAddress.execute(TokenObtainPairDocument, { username: 'x', password: 'guess' }).then(outcome);
    expect(await guess()).toEqual(wrongPassword);
    expect(await guess()).toEqual(refused(120));
  });
});
