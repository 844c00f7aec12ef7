import mongoose, { type Connection } from 'mongoose';
import { TokenStoreUnavailableError } from 'pothos-plugin-simple-jwt';
import { afterAll, describe, expect, it } from 'vitest';
import { connectFreshDatabase, freshDatabaseUri } from '../support/database.js';
import { challengeOf, expectError, password, type ServiceFixtureOptions, serviceFixture } from './fixture.js';

// Fail closed: with the database unreachable, no service answers with a token or with database text.
const connection = await connectFreshDatabase('services_outage');
const unavailable = 'The token store is unavailable. Try again later.';

async function dedicatedConnection(): Promise<Connection> {
  const dedicated = await mongoose.createConnection(freshDatabaseUri('outage')).asPromise();
  afterAll(() => dedicated.close());
  return dedicated;
}

async function closeForGood(dedicated: Connection): Promise<void> {
  await dedicated.dropDatabase();
  await dedicated.close();
}

async function expectUnavailable(action: Promise<unknown>): Promise<void> {
  const error = await expectError(action, 'TOKEN_STORE_UNAVAILABLE', unavailable);
  expect(error).toBeInstanceOf(TokenStoreUnavailableError);
  expect(challengeOf(error).status).toBe(503);
}

describe('the users database is unreachable', () => {
  async function setUp(options: ServiceFixtureOptions = {}) {
    const userConnection = await dedicatedConnection();
    const f = serviceFixture(connection, { ...options, userConnection });
    await f.createUser('test_user');
    const pair = await f.login('test_user');
    const { token: sliding } = await f.jwt.obtainSlidingToken({ username: 'test_user', password });
    await closeForGood(userConnection);
    return { f, sliding, ...pair };
  }

  it('obtain answers TOKEN_STORE_UNAVAILABLE and records nothing', async () => {
    const { f } = await setUp();
    await expectUnavailable(f.login('test_user'));
    await expectUnavailable(f.jwt.obtainSlidingToken({ username: 'test_user', password }));
    expect(await f.outstanding()).toHaveLength(2);
  });

  it('refresh answers TOKEN_STORE_UNAVAILABLE and blacklists nothing, even with rotation', async () => {
    const { f, refresh, sliding } = await setUp({
      settings: { rotateRefreshTokens: true, blacklistAfterRotation: true },
    });
    await expectUnavailable(f.jwt.refreshToken(refresh));
    await expectUnavailable(f.jwt.refreshSlidingToken(sliding));
    expect(await f.blacklisted()).toEqual([]);
  });
});

describe('the token store is unreachable', () => {
  async function setUp(options: ServiceFixtureOptions = {}) {
    const storeConnection = await dedicatedConnection();
    const f = serviceFixture(storeConnection, { ...options, userConnection: connection });
    await f.createUser('test_user');
    const pair = await f.login('test_user');
    await closeForGood(storeConnection);
    return { f, ...pair };
  }

  it('obtain gives no token that has no record', async () => {
    const { f } = await setUp();
    await expectUnavailable(f.login('test_user'));
    await expectUnavailable(f.jwt.obtainSlidingToken({ username: 'test_user', password }));
  });

  it('refresh, verify and blacklist fail closed', async () => {
    const { f, refresh } = await setUp();
    await expectUnavailable(f.jwt.refreshToken(refresh));
    await expectUnavailable(f.jwt.verifyToken(refresh));
    await expectUnavailable(f.jwt.blacklistToken(refresh));
  });
});
