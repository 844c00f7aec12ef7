import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenObtainPairDocument, TokenObtainSlidingDocument } from '../../examples/generated/graphql.js';
import { createExampleApp } from '../../examples/yoga/app.js';
import { createScryptPasswordHasher, createUser, insecureTestScryptOptions } from '../../src/index.js';
import { usernameKey } from '../../src/throttle/login-throttle.js';
import { connectFreshDatabase } from '../support/database.js';
import { type GraphQLResponse, graphqlClient } from '../support/graphql-client.js';
import { testClock } from '../support/token-fixture.js';
import { countingHasher } from '../throttle/throttle-fixture.js';
import { type ListeningServer, listen } from './listen.js';

// The example server with login throttling on, over real HTTP on the real database: the address
// counted is the socket peer (127.0.0.1 here), whatever a client claims in X-Forwarded-For.
const clock = testClock(Math.floor(Date.now() / 1000));
const connection = await connectFreshDatabase('yoga_throttle');
const { hasher, counts } = countingHasher();
const { yoga, User, jwt } = createExampleApp({
  connection,
  settings: {
    signingKey: randomBytes(64).toString('base64url'),
    authTokenClasses: ['access', 'sliding'],
    loginThrottle: true,
  },
  passwordHasher: hasher,
  now: clock,
});
await createUser(
  User,
  { username: 'demo', password: 'demo-password' },
  createScryptPasswordHasher(insecureTestScryptOptions),
);
const counters = connection.collection('login_attempts');

let server: ListeningServer;
let execute: ReturnType<typeof graphqlClient>;
beforeAll(async () => {
  // Creates the counters' indexes (as the first login would), so the burst below measures counting only.
  await jwt.flushExpiredTokens();
  server = await listen(yoga);
  execute = graphqlClient(fetch, server.url);
});
afterAll(async () => {
  await server.close();
});

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
    expect(
      outcome(await execute(TokenObtainPairDocument, { username: 'demo', password: 'demo-password' })),
    ).toEqual(refused(120));
  });

  it('answers an unknown username exactly as a known one', async () => {
    const outcomes = await parallelWrongGuesses('nobody-here', 50);
    expect(tally(outcomes)).toEqual({ NO_ACTIVE_ACCOUNT: 5, TOO_MANY_ATTEMPTS: 45 });
    expect(outcomes.filter((answer) => answer.code === 'TOO_MANY_ATTEMPTS')).toEqual(
      Array(45).fill(refused(60)),
    );
  });

  it('throttles tokenObtainSliding too', async () => {
    const response = await execute(TokenObtainSlidingDocument, {
      username: 'demo',
      password: 'demo-password',
    });
    expect(outcome(response)).toEqual(refused(120));
    expect(response.data?.tokenObtainSliding ?? null).toBeNull();
  });

  it('counts the socket peer address, not X-Forwarded-For', async () => {
    // 5 + 1 + 5 failures so far came from 127.0.0.1; the address limit is 20.
    expect(await counters.countDocuments({ key: 'a:127.0.0.1' })).toBe(11);
    const spoofed = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${index}` },
          body: JSON.stringify({
            query: TokenObtainPairDocument.toString(),
            variables: { username: `someone${index}`, password: 'guess' },
          }),
        }).then((response) => response.status),
      ),
    );
    expect(spoofed.sort()).toEqual([...Array(9).fill(401), ...Array(3).fill(429)]);
    expect(await counters.countDocuments({ key: { $regex: '^a:198' } })).toBe(0);
    expect(await counters.countDocuments({ key: 'a:127.0.0.1' })).toBe(20);
  });

  it('lets the user in once both waits are over; the success resets the username, not the address', async () => {
    clock.advance(jwt.settings.loginThrottleMaxWait);
    const response = await execute(TokenObtainPairDocument, { username: 'demo', password: 'demo-password' });
    expect(outcome(response)).toEqual({ status: 200, code: 'OK', retryAfter: null });
    expect(await counters.countDocuments({ key: usernameKey('demo') })).toBe(0);
    expect(await counters.countDocuments({ key: 'a:127.0.0.1' })).toBe(20);
    // The address's wait is over too: one more failure goes through, then it waits twice as long.
    const guess = () => execute(TokenObtainPairDocument, { username: 'x', password: 'guess' }).then(outcome);
    expect(await guess()).toEqual(wrongPassword);
    expect(await guess()).toEqual(refused(120));
  });
});
