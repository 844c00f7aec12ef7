import mongoose from 'mongoose';
import { createSimpleJwt, TokenError, type UserDocument } from 'pothos-plugin-simple-jwt';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabaseUri } from '../support/database.js';
import { hmacSecret } from '../support/jwt-keys.js';
import { claimsOf, serviceFixture } from './fixture.js';

// Two connections to ONE database: two server processes sharing the token store.
const uri = freshDatabaseUri('services_rotation_race');
const connection = await mongoose.createConnection(uri).asPromise();
const secondConnection = await mongoose.createConnection(uri).asPromise();
afterAll(async () => {
  await connection.dropDatabase();
  await Promise.all([connection.close(), secondConnection.close()]);
});

// Reuse detection off: the losers would revoke the winner's family (tested in test/sessions).
const rotation = { rotateRefreshTokens: true, blacklistAfterRotation: true, reuseDetection: false } as const;

/** Splits settled refreshes into successes and failures. */
function partition<T>(results: PromiseSettledResult<T>[]) {
  const fulfilled = results.filter((result) => result.status === 'fulfilled').map((result) => result.value);
  const rejected = results.filter((result) => result.status === 'rejected').map((result) => result.reason);
  return { fulfilled, rejected };
}

function expectAllBlacklistedErrors(errors: unknown[]): void {
  for (const error of errors) {
    expect(error).toBeInstanceOf(TokenError);
    const { message, extensions } = error as TokenError;
    expect({ message, code: extensions['code'] }).toEqual({
      message: 'Token is blacklisted',
      code: 'TOKEN_NOT_VALID',
    });
  }
}

// Exactly-once rotation (Simple JWT lets every concurrent refresh through: two live chains).
describe('concurrent refreshes of ONE refresh token with rotation and blacklistAfterRotation', () => {
  it.each([2, 20, 50])('%i concurrent refreshes: exactly one succeeds, one new record', async (count) => {
    const f = serviceFixture(connection, { settings: rotation });
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    const originalJti = claimsOf(refresh)['jti'];

    const results = await Promise.allSettled(
      Array.from({ length: count }, () => f.jwt.refreshToken(refresh)),
    );
    const { fulfilled, rejected } = partition(results);
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(count - 1);
    expectAllBlacklistedErrors(rejected);

    const winner = fulfilled[0];
    const newJti = claimsOf(winner?.refresh ?? '')['jti'];
    const outstanding = await f.outstanding();
    expect(outstanding.map((record) => record['_id']).sort()).toEqual([originalJti, newJti].sort());
    const blacklisted = await f.blacklisted();
    expect(blacklisted.map((record) => record['_id'])).toEqual([originalJti]);

    // The one surviving chain goes on.
    await expect(f.jwt.refreshToken(winner?.refresh ?? '')).resolves.toHaveProperty('refresh');
  });

  it('holds across two instances on two connections (two server processes)', async () => {
    const f = serviceFixture(connection, { settings: rotation });
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    const other = createSimpleJwt<UserDocument>({
      settings: { signingKey: hmacSecret, ...rotation },
      connection: secondConnection,
      tokenStore: {
        outstandingCollection: f.outstandingCollection,
        blacklistedCollection: f.blacklistedCollection,
      },
      userModel: secondConnection.model(f.User.modelName, f.User.schema, f.usersCollection),
      now: f.clock,
    });

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? f.jwt : other).refreshToken(refresh)),
    );
    const { fulfilled, rejected } = partition(results);
    expect(fulfilled).toHaveLength(1);
    expectAllBlacklistedErrors(rejected);
    expect(await f.outstanding()).toHaveLength(2);
    expect(await f.blacklisted()).toHaveLength(1);
  });

  it('without blacklistAfterRotation every concurrent refresh succeeds (Simple JWT behaviour kept)', async () => {
    const f = serviceFixture(connection, { settings: { rotateRefreshTokens: true } });
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => f.jwt.refreshToken(refresh)));
    expect(partition(results).fulfilled).toHaveLength(5);
    expect(await f.outstanding()).toHaveLength(6);
    expect(await f.blacklisted()).toEqual([]);
  });
});
