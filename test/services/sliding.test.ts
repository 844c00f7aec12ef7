import { setPassword } from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import { connectFreshDatabase } from '../support/database.js';
import { y2k } from '../support/token-fixture.js';
import {
  claimsOf,
  craftedToken,
  expectError,
  lifetimes,
  password,
  type ServiceFixture,
  serviceFixture,
} from './fixture.js';

const connection = await connectFreshDatabase('services_sliding');
const noActiveAccount = 'No active account found for the given token.';

async function slidingFor(f: ServiceFixture, username = 'test_user') {
  return (await f.jwt.obtainSlidingToken({ username, password })).token;
}

describe('refreshSlidingToken (TokenRefreshSlidingSerializer)', () => {
  it('gives a later exp and iat, keeps jti and refresh_exp, and writes nothing', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const token = await slidingFor(f);
    // Simple JWT's case: exp = now + lifetime − 1 s.
    f.clock.advance(1);
    const result = await f.jwt.refreshSlidingToken(token);
    expect(Object.keys(result)).toEqual(['token']);
    const before = claimsOf(token);
    const after = claimsOf(result.token);
    expect(after).toEqual({ ...before, exp: y2k + 1 + lifetimes.sliding, iat: y2k + 1 });
    expect(after['exp']).toBeGreaterThan(before['exp'] as number);
    expect(await f.outstanding()).toHaveLength(1);
    expect(await f.blacklisted()).toEqual([]);
    // The old copy stays valid until its own exp.
    await expect(f.jwt.refreshSlidingToken(token)).resolves.toHaveProperty('token');
  });

  it('refuses an access-expired sliding token even before refresh_exp: "Token is expired"', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const token = await slidingFor(f);
    f.clock.advance(lifetimes.sliding);
    expect(claimsOf(token)['refresh_exp']).toBeGreaterThan(f.clock.seconds());
    await expectError(f.jwt.refreshSlidingToken(token), 'TOKEN_NOT_VALID', 'Token is expired');
  });

  it.each([
    [
      'no exp',
      "Token has no 'exp' claim",
      (token: { delete(claim: string): boolean }) => token.delete('exp'),
    ],
    [
      'no refresh_exp',
      "Token has no 'refresh_exp' claim",
      (token: { delete(claim: string): boolean }) => token.delete('refresh_exp'),
    ],
    [
      'refresh_exp 1 s past',
      "Token 'refresh_exp' claim has expired",
      (token: { set(claim: string, value: unknown): void }) => token.set('refresh_exp', y2k - 1),
    ],
    [
      'refresh_exp exactly now',
      "Token 'refresh_exp' claim has expired",
      (token: { set(claim: string, value: unknown): void }) => token.set('refresh_exp', y2k),
    ],
  ])('refuses a sliding token with %s: %s', async (_case, message, edit) => {
    const f = serviceFixture(connection);
    await expectError(
      f.jwt.refreshSlidingToken(craftedToken(f.jwt.tokens.SlidingToken, edit)),
      'TOKEN_NOT_VALID',
      message,
    );
  });

  it('refreshes a sliding token whose refresh_exp is 1 s ahead', async () => {
    const f = serviceFixture(connection);
    const token = craftedToken(f.jwt.tokens.SlidingToken, (sliding) => sliding.set('refresh_exp', y2k + 1));
    await expect(f.jwt.refreshSlidingToken(token)).resolves.toHaveProperty('token');
  });

  it.each(['refresh', 'access'] as const)('refuses a %s token: "Token has wrong type"', async (kind) => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const pair = await f.login('test_user');
    await expectError(f.jwt.refreshSlidingToken(pair[kind]), 'TOKEN_NOT_VALID', 'Token has wrong type');
  });

  it('refuses a blacklisted sliding token, and every refreshed copy of it (same jti)', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const token = await slidingFor(f);
    const copy = (await f.jwt.refreshSlidingToken(token)).token;
    await (await f.jwt.tokens.SlidingToken.fromString(token)).blacklist();
    await expectError(f.jwt.refreshSlidingToken(token), 'TOKEN_NOT_VALID', 'Token is blacklisted');
    await expectError(f.jwt.refreshSlidingToken(copy), 'TOKEN_NOT_VALID', 'Token is blacklisted');
  });

  it('answers NO_ACTIVE_ACCOUNT for a deleted user (master)', async () => {
    const f = serviceFixture(connection);
    const user = await f.createUser('test_user');
    const token = await slidingFor(f);
    await f.User.deleteOne({ _id: user._id });
    await expectError(f.jwt.refreshSlidingToken(token), 'NO_ACTIVE_ACCOUNT', noActiveAccount);
  });

  it('answers NO_ACTIVE_ACCOUNT for an inactive user (master)', async () => {
    const f = serviceFixture(connection);
    const user = await f.createUser('test_user');
    const token = await slidingFor(f);
    await f.User.updateOne({ _id: user._id }, { isActive: false });
    await expectError(f.jwt.refreshSlidingToken(token), 'NO_ACTIVE_ACCOUNT', noActiveAccount);
  });

  it.each(['abc', '{"$ne":null}'])(
    'answers NO_ACTIVE_ACCOUNT for the malformed user id %j',
    async (userId) => {
      const f = serviceFixture(connection);
      const token = craftedToken(f.jwt.tokens.SlidingToken, (sliding) => sliding.set('user_id', userId));
      await expectError(f.jwt.refreshSlidingToken(token), 'NO_ACTIVE_ACCOUNT', noActiveAccount);
    },
  );

  it.each([false, true])(
    'after a password change with checkRevokeToken (blacklistAfterRotation %s): PASSWORD_CHANGED, token blacklisted (master)',
    async (blacklistAfterRotation) => {
      const f = serviceFixture(connection, { settings: { checkRevokeToken: true, blacklistAfterRotation } });
      const user = await f.createUser('test_user');
      const token = await slidingFor(f);
      await expect(f.jwt.refreshSlidingToken(token)).resolves.toHaveProperty('token');
      await setPassword(user, 'new_password', f.hasher);
      await user.save();
      await expectError(
        f.jwt.refreshSlidingToken(token),
        'PASSWORD_CHANGED',
        "The user's password has been changed.",
      );
      const jti = claimsOf(token)['jti'];
      expect((await f.outstanding()).map((record) => record['_id'])).toEqual([jti]);
      expect((await f.blacklisted()).map((record) => record['_id'])).toEqual([jti]);
    },
  );
});
