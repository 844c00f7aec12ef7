import { describe, expect, it } from 'vitest';
import { connectFreshDatabase } from '../support/database.js';
import { failed, ok, password, throttled, throttleFixture } from './throttle-fixture.js';

const connection = await connectFreshDatabase('login_throttle');

async function repeat<T>(times: number, action: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let index = 0; index < times; index++) results.push(await action());
  return results;
}

describe('login throttling per username', () => {
  it('lets 5 failures through, then refuses even the right password without checking it', async () => {
    const f = await throttleFixture(connection);
    expect(await repeat(5, () => f.attempt('alice', 'wrong', null))).toEqual(Array(5).fill(failed));
    expect(f.counts.checks).toBe(5);
    expect(await f.attempt('alice', password, null)).toEqual(throttled(60));
    expect(await f.attempt('alice', 'wrong', null)).toEqual(throttled(60));
    expect(f.counts.checks).toBe(5);
    f.clock.advance(59);
    expect(await f.attempt('alice', password, null)).toEqual(throttled(1));
    f.clock.advance(1);
    expect(await f.attempt('alice', password, null)).toEqual(ok);
  });

  it('answers a known and an unknown username alike, with the same number of password checks', async () => {
    const f = await throttleFixture(connection);
    const alice = await repeat(8, () => f.attempt('alice', 'wrong', null));
    const aliceChecks = f.counts.checks;
    const nobody = await repeat(8, () => f.attempt('nobody', 'wrong', null));
    expect(nobody).toEqual(alice);
    expect(f.counts.checks - aliceChecks).toBe(aliceChecks);
    expect(alice.slice(4)).toEqual([failed, throttled(60), throttled(60), throttled(60)]);
  });

  it('counts case, white space and compatibility forms of a username as one', async () => {
    const f = await throttleFixture(connection);
    for (const spelling of ['alice', 'Alice', ' ALICE ', 'ａｌｉｃｅ', 'alice']) {
      expect(await f.attempt(spelling, 'wrong', null)).toEqual(failed);
    }
    expect(await f.attempt('aLiCe', password, null)).toEqual(throttled(60));
    expect(await f.attempt('bob', 'wrong', null)).toEqual(failed);
  });

  it('doubles the wait with each further failure, up to loginThrottleMaxWait', async () => {
    const f = await throttleFixture(connection, {
      loginThrottleUsernameFailures: 2,
      loginThrottleMaxWait: '5m',
    });
    await repeat(2, () => f.attempt('nobody', 'wrong', null));
    const waits: unknown[] = [];
    for (let round = 0; round < 5; round++) {
      const refused = await f.attempt('nobody', 'wrong', null);
      waits.push(refused.retryAfter);
      f.clock.advance(Number(refused.retryAfter));
      expect(await f.attempt('nobody', 'wrong', null)).toEqual(failed);
    }
    expect(waits).toEqual([60, 120, 240, 300, 300]);
  });

  it('does not lengthen the wait for attempts refused while waiting', async () => {
    const f = await throttleFixture(connection, { loginThrottleUsernameFailures: 1 });
    await f.attempt('alice', 'wrong', null);
    await repeat(10, () => f.attempt('alice', 'wrong', null));
    f.clock.advance(60);
    expect(await f.attempt('alice', password, null)).toEqual(ok);
  });

  it('resets the username on a successful login', async () => {
    const f = await throttleFixture(connection);
    await repeat(4, () => f.attempt('alice', 'wrong', null));
    expect(await f.attempt('alice', password, null)).toEqual(ok);
    expect(await repeat(5, () => f.attempt('alice', 'wrong', null))).toEqual(Array(5).fill(failed));
    expect(await f.attempt('alice', 'wrong', null)).toEqual(throttled(60));
  });

  it('throttles tokenObtainSliding with the same counters', async () => {
    const f = await throttleFixture(connection, { authTokenClasses: ['access', 'sliding'] });
    await repeat(5, () => f.attempt('alice', 'wrong', null));
    let code: unknown;
    await f.jwt
      .obtainSlidingToken({ username: 'alice', password })
      .catch((error: { extensions: { code: unknown } }) => {
        code = error.extensions.code;
      });
    expect(code).toBe('TOO_MANY_ATTEMPTS');
    expect(f.counts.checks).toBe(5);
  });
});

describe('login throttling per client address', () => {
  it('refuses an address after 20 failures on any usernames, and only that address', async () => {
    const f = await throttleFixture(connection);
    for (let index = 0; index < 20; index++) {
      expect(await f.attempt(`user${index}`, 'wrong', '198.51.100.7')).toEqual(failed);
    }
    expect(await f.attempt('alice', password, '198.51.100.7')).toEqual(throttled(60));
    expect(await f.attempt('alice', password, '::ffff:198.51.100.7')).toEqual(throttled(60));
    expect(await f.attempt('alice', password, '198.51.100.8')).toEqual(ok);
  });

  it('gives a successful login back to its address without clearing the address', async () => {
    const f = await throttleFixture(connection, { loginThrottleAddressFailures: 3 });
    await repeat(2, () => f.attempt('nobody', 'wrong', '203.0.113.1'));
    expect(await f.attempt('alice', password, '203.0.113.1')).toEqual(ok);
    expect(await f.attempt('other', 'wrong', '203.0.113.1')).toEqual(failed);
    expect(await f.attempt('alice', password, '203.0.113.1')).toEqual(throttled(60));
  });

  it('does not count against the username an attempt its address refused', async () => {
    const f = await throttleFixture(connection, { loginThrottleAddressFailures: 1 });
    await f.attempt('nobody', 'wrong', '203.0.113.2');
    expect(await repeat(10, () => f.attempt('alice', 'wrong', '203.0.113.2'))).toEqual(
      Array(10).fill(throttled(60)),
    );
    // alice still has her whole budget of 5 failures (from addresses with failures to spare).
    const elsewhere = ['203.0.113.10', '203.0.113.11', '203.0.113.12', '203.0.113.13', '203.0.113.14'];
    for (const address of elsewhere) expect(await f.attempt('alice', 'wrong', address)).toEqual(failed);
    expect(await f.attempt('alice', password, '203.0.113.15')).toEqual(throttled(60));
  });

  it('stores the address and a hash of the username, never the username itself', async () => {
    const f = await throttleFixture(connection);
    await f.attempt('Secret-Name', 'wrong', '192.0.2.55');
    const documents = await f.counters.find({}).toArray();
    expect(documents.map((document) => document['key']).sort()).toEqual([
      'a:192.0.2.55',
      expect.stringMatching(/^u:[A-Za-z0-9_-]{43}$/),
    ]);
    expect(JSON.stringify(documents).toLowerCase()).not.toContain('secret-name');
  });
});

describe('login-attempt counters expire', () => {
  it('forgets failures loginThrottleResetAfter after the last one, and flushExpiredTokens deletes them', async () => {
    const f = await throttleFixture(connection, { loginThrottleResetAfter: '1h' });
    await repeat(5, () => f.attempt('alice', 'wrong'));
    expect(await f.jwt.flushExpiredTokens()).toEqual({
      outstanding: 0,
      blacklisted: 0,
      families: 0,
      loginAttempts: 0,
    });
    f.clock.advance(3600);
    expect(await f.jwt.flushExpiredTokens()).toEqual({
      outstanding: 0,
      blacklisted: 0,
      families: 0,
      loginAttempts: 10,
    });
    expect(await f.counters.countDocuments({})).toBe(0);
    expect(await repeat(5, () => f.attempt('alice', 'wrong'))).toEqual(Array(5).fill(failed));
  });

  it('forgets failures after loginThrottleResetAfter even before a flush', async () => {
    const f = await throttleFixture(connection, { loginThrottleResetAfter: '1h' });
    await repeat(4, () => f.attempt('alice', 'wrong'));
    f.clock.advance(3599);
    expect(await repeat(2, () => f.attempt('alice', 'wrong'))).toEqual([failed, throttled(60)]);
    f.clock.advance(3600);
    expect(await repeat(5, () => f.attempt('alice', 'wrong'))).toEqual(Array(5).fill(failed));
    expect(await f.attempt('alice', 'wrong')).toEqual(throttled(60));
  });
});
