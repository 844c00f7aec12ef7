import { setPassword, TokenError } from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import { connectFreshDatabase } from '../support/database.js';
import { y2k } from '../support/token-fixture.js';
import {
  challengeOf,
  claimsOf,
  craftedToken,
  expectError,
  jtiPattern,
  lifetimes,
  serviceFixture,
} from './fixture.js';

const connection = await connectFreshDatabase('services_refresh');
const noActiveAccount = 'No active account found for the given token.';

describe('refreshToken without rotation (TokenRefreshSerializer)', () => {
  it('returns only an access token: exp = parse time + access lifetime, custom claims copied', async () => {
    const f = serviceFixture(connection, { getToken: (_user, token) => token.set('test_claim', 'arstarst') });
    const user = await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    f.clock.advance(100);
    const result = await f.jwt.refreshToken(refresh);
    expect(Object.keys(result)).toEqual(['access']);
    const access = claimsOf(result.access);
    expect(Object.keys(access)).toEqual([
      'token_type',
      'exp',
      'iat',
      'jti',
      'user_id',
      'fam',
      'auth_time',
      'test_claim',
    ]);
    expect(access).toMatchObject({
      token_type: 'access',
      exp: y2k + 100 + lifetimes.access,
      iat: y2k + 100,
      user_id: user._id.toHexString(),
      test_claim: 'arstarst',
    });
    expect(access['jti']).toMatch(jtiPattern);
    expect(access['jti']).not.toBe(claimsOf(refresh)['jti']);
    expect(await f.outstanding()).toHaveLength(1);
    expect(await f.blacklisted()).toEqual([]);
  });

  it('accepts a refresh token that names no user (Simple JWT does)', async () => {
    const f = serviceFixture(connection);
    const refresh = craftedToken(f.jwt.tokens.RefreshToken, () => undefined);
    const result = await f.jwt.refreshToken(refresh);
    expect(claimsOf(result.access)).not.toHaveProperty('user_id');
  });

  it.each([
    [lifetimes.refresh - 1, null],
    [lifetimes.refresh, 'Token is expired'],
    [lifetimes.refresh + 1, 'Token is expired'],
  ])('%i s after issue: %s', async (elapsed, failure) => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    f.clock.advance(elapsed);
    if (failure === null) {
      await expect(f.jwt.refreshToken(refresh)).resolves.toHaveProperty('access');
    } else {
      const error = await expectError(f.jwt.refreshToken(refresh), 'TOKEN_NOT_VALID', failure);
      expect(error).toBeInstanceOf(TokenError);
      expect(challengeOf(error)).toMatchObject({ status: 401, fromMap: 'Bearer realm="api"' });
    }
  });

  it.each([
    [
      'no exp',
      "Token has no 'exp' claim",
      (token: { delete(claim: string): boolean }) => token.delete('exp'),
    ],
    ['no jti', 'Token has no id', (token: { delete(claim: string): boolean }) => token.delete('jti')],
    [
      'no type',
      'Token has no type',
      (token: { delete(claim: string): boolean }) => token.delete('token_type'),
    ],
  ])('refuses a token with %s: %s', async (_case, message, edit) => {
    const f = serviceFixture(connection);
    await expectError(
      f.jwt.refreshToken(craftedToken(f.jwt.tokens.RefreshToken, edit)),
      'TOKEN_NOT_VALID',
      message,
    );
  });

  it('challenges with the first authHeaderTypes entry', async () => {
    const f = serviceFixture(connection, { settings: { authHeaderTypes: ['JWT', 'Bearer'] } });
    await f.createUser('test_user');
    const { access } = await f.login('test_user');
    const error = await expectError(f.jwt.refreshToken(access), 'TOKEN_NOT_VALID', 'Token has wrong type');
    expect(challengeOf(error)).toEqual({
      status: 401,
      fromMap: 'JWT realm="api"',
      fromProperty: 'JWT realm="api"',
    });
  });

  it('refuses an access token: "Token has wrong type"', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const { access } = await f.login('test_user');
    await expectError(f.jwt.refreshToken(access), 'TOKEN_NOT_VALID', 'Token has wrong type');
  });

  it('refuses a tampered token: "Token is invalid"', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    const [header, , signature] = refresh.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claimsOf(refresh), user_id: 'someone else' })).toString(
      'base64url',
    );
    await expectError(
      f.jwt.refreshToken(`${header}.${payload}.${signature}`),
      'TOKEN_NOT_VALID',
      'Token is invalid',
    );
  });

  it('answers NO_ACTIVE_ACCOUNT when the user was deleted after issue (master; 5.5.1 answered 500)', async () => {
    const f = serviceFixture(connection);
    const user = await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    await f.User.deleteOne({ _id: user._id });
    const error = await expectError(f.jwt.refreshToken(refresh), 'NO_ACTIVE_ACCOUNT', noActiveAccount);
    expect(challengeOf(error).status).toBe(401);
  });

  it('answers NO_ACTIVE_ACCOUNT when the user became inactive', async () => {
    const f = serviceFixture(connection);
    const user = await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    await f.User.updateOne({ _id: user._id }, { isActive: false });
    await expectError(f.jwt.refreshToken(refresh), 'NO_ACTIVE_ACCOUNT', noActiveAccount);
  });

  it('follows a custom userAuthenticationRule on refresh', async () => {
    let admit = true;
    const f = serviceFixture(connection, {
      settings: { userAuthenticationRule: (user) => admit && user !== null },
    });
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    admit = false;
    await expectError(f.jwt.refreshToken(refresh), 'NO_ACTIVE_ACCOUNT', noActiveAccount);
  });

  it.each([
    ['a word', 'abc'],
    ['an operator object as JSON text', '{"$ne":null}'],
    ['an ObjectId nobody has', '0123456789abcdef01234567'],
    ['an operator object', { $ne: null }],
    ['a number', 42],
    ['an array', ['x']],
  ])('answers NO_ACTIVE_ACCOUNT, never a crash, for a user id claim that is %s', async (_case, userId) => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const refresh = craftedToken(f.jwt.tokens.RefreshToken, (token) => token.set('user_id', userId));
    await expectError(f.jwt.refreshToken(refresh), 'NO_ACTIVE_ACCOUNT', noActiveAccount);
  });

  it('does not find a user by a non-canonical spelling of its id (upper-case hex)', async () => {
    const f = serviceFixture(connection);
    const user = await f.createUser('test_user');
    const refresh = craftedToken(f.jwt.tokens.RefreshToken, (token) =>
      token.set('user_id', user._id.toHexString().toUpperCase()),
    );
    await expectError(f.jwt.refreshToken(refresh), 'NO_ACTIVE_ACCOUNT', noActiveAccount);
  });
});

describe('refreshToken with checkRevokeToken (master)', () => {
  it('refreshes while the password is unchanged', async () => {
    const f = serviceFixture(connection, { settings: { checkRevokeToken: true } });
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    await expect(f.jwt.refreshToken(refresh)).resolves.toHaveProperty('access');
  });

  it('answers PASSWORD_CHANGED after a password change and blacklists the refresh token', async () => {
    const f = serviceFixture(connection, { settings: { checkRevokeToken: true } });
    const user = await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    await setPassword(user, 'new_password', f.hasher);
    await user.save();

    const error = await expectError(
      f.jwt.refreshToken(refresh),
      'PASSWORD_CHANGED',
      "The user's password has been changed.",
    );
    expect(challengeOf(error).status).toBe(401);
    expect((await f.blacklisted()).map((record) => record['_id'])).toEqual([claimsOf(refresh)['jti']]);
    expect(await f.outstanding()).toHaveLength(1);
    await expectError(f.jwt.refreshToken(refresh), 'TOKEN_NOT_VALID', 'Token is blacklisted');
  });

  it('answers PASSWORD_CHANGED for a token without the hash claim (enabling the setting logs everyone out)', async () => {
    const f = serviceFixture(connection, { settings: { checkRevokeToken: true } });
    const user = await f.createUser('test_user');
    const refresh = craftedToken(f.jwt.tokens.RefreshToken, (token) =>
      token.set('user_id', user._id.toHexString()),
    );
    await expectError(
      f.jwt.refreshToken(refresh),
      'PASSWORD_CHANGED',
      "The user's password has been changed.",
    );
  });
});
