import { Schema } from 'mongoose';
import { createSimpleJwt, createUserSchema } from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import { connectFreshDatabase } from '../support/database.js';
import { hmacSecret } from '../support/jwt-keys.js';
import { type SimpleJwtTokenOptions, simpleJwtToken } from '../support/simple-jwt-token.js';
import { testClock, y2k } from '../support/token-fixture.js';
import { claimsOf, expectError, lifetimes, type ServiceFixture, serviceFixture } from './fixture.js';

// Simple JWT up to 5.5.0 writes integer primary keys as JSON numbers ("user_id": 1); such tokens are
// read as the decimal string of the id everywhere a user id is read.
const connection = await connectFreshDatabase('services_integer_user_ids');
const noActiveAccount = 'No active account found for the given token.';
const noRecognizableUser = 'Token contained no recognizable user identification';

/** The ready user model plus a numeric `userId` field (a Django-style integer key) as `userIdField`. */
function numericIdFixture(settings: Parameters<typeof serviceFixture>[1] = {}) {
  const userSchema = createUserSchema();
  userSchema.add(new Schema({ userId: Number }));
  const f = serviceFixture(connection, {
    ...settings,
    userSchema,
    settings: { userIdField: 'userId', ...settings.settings },
  });
  const createUser = async (username: string, userId: number) => {
    const user = await f.createUser(username);
    user.set('userId', userId);
    return user.save();
  };
  return { ...f, createNumberedUser: createUser };
}

/** A token Simple JWT made at the fixture's clock, with `user_id` as the JSON text given. */
function madeBySimpleJwt(
  f: ServiceFixture,
  tokenType: SimpleJwtTokenOptions['tokenType'],
  userIdJson: string,
): { token: string; jti: string } {
  return simpleJwtToken({
    tokenType,
    userIdJson,
    issuedAt: f.clock.seconds(),
    lifetime: lifetimes[tokenType],
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const recordsOf = async (f: ServiceFixture) =>
  (await f.outstanding()).map((record) => [record['_id'], record['user']]);

describe('header authentication of "user_id": <integer>', () => {
  it.each([
    ['1', 1],
    ['0', 0],
    ['-1', -1],
  ])('finds the user of "user_id": %s through a numeric userIdField', async (json, userId) => {
    const f = numericIdFixture();
    await f.createNumberedUser('other', 2);
    await f.createNumberedUser('test_user', userId);
    const result = await f.jwt.authenticate(bearer(madeBySimpleJwt(f, 'access', json).token));
    expect(result.user?.username).toBe('test_user');
    expect(result.tokenUser?.id).toBe(String(userId));
  });

  it('answers USER_NOT_FOUND when nobody has the id: an ObjectId key, or a numeric key of other users', async () => {
    const ready = serviceFixture(connection);
    await ready.createUser('test_user');
    const numeric = numericIdFixture();
    await numeric.createNumberedUser('test_user', 2);
    for (const f of [ready, numeric]) {
      const { token } = madeBySimpleJwt(f, 'access', '1');
      await expectError(f.jwt.authenticate(bearer(token)), 'USER_NOT_FOUND', 'User not found');
    }
  });

  it.each([
    ['a fraction', '1.5'],
    ['a huge number', '1e300'],
    ['an integer JSON.parse rounds onto an existing id', '9007199254740993'],
    ['the first unsafe integer, which is an existing id', '9007199254740992'],
    ['true', 'true'],
    ['null', 'null'],
    ['an empty string', '""'],
    ['an object', '{}'],
    ['an array', '[]'],
    ['an array holding an existing id', '[1]'],
  ])('refuses %s as no recognizable user, and refresh finds no account', async (_case, json) => {
    const f = numericIdFixture();
    await f.createNumberedUser('test_user', 1);
    await f.createNumberedUser('unsafe', 2 ** 53);
    const { token } = madeBySimpleJwt(f, 'access', json);
    await expectError(f.jwt.authenticate(bearer(token)), 'TOKEN_NOT_VALID', noRecognizableUser);
    // A refresh token for no user (none, null, "") needs no user, as in Simple JWT.
    const refresh = madeBySimpleJwt(f, 'refresh', json).token;
    if (json === 'null' || json === '""') await expect(f.jwt.refreshToken(refresh)).resolves.toBeDefined();
    else await expectError(f.jwt.refreshToken(refresh), 'NO_ACTIVE_ACCOUNT', noActiveAccount);
  });
});

describe('refresh, rotation, sliding refresh and blacklist of "user_id": 7', () => {
  it('rotates it: both new tokens carry "7", as login writes it; both records hold the user "7"', async () => {
    const f = numericIdFixture({ settings: { rotateRefreshTokens: true, blacklistAfterRotation: true } });
    const user = await f.createNumberedUser('test_user', 7);
    const { token, jti } = madeBySimpleJwt(f, 'refresh', '7');
    const result = await f.jwt.refreshToken(token);
    const rotated = claimsOf(result.refresh ?? '');
    expect(claimsOf(result.access)['user_id']).toBe('7');
    expect(rotated['user_id']).toBe('7');
    expect(Object.keys(rotated)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id']);

    // Records are keyed by jti: compare as a set.
    const records = await recordsOf(f);
    expect(records).toHaveLength(2);
    expect(records).toEqual(
      expect.arrayContaining([
        [jti, '7'],
        [rotated['jti'], '7'],
      ]),
    );
    expect((await f.blacklisted()).map((record) => record['_id'])).toEqual([jti]);
    await expectError(f.jwt.refreshToken(token), 'TOKEN_NOT_VALID', 'Token is blacklisted');
    // "Log out everywhere" finds the rotated token by the user's id.
    expect(await f.jwt.blacklistAllTokensOf(user)).toBe(1);
    await expectError(f.jwt.refreshToken(result.refresh ?? ''), 'TOKEN_NOT_VALID', 'Token is blacklisted');
    // The id our user adapter reports, which is what a login writes.
    expect(claimsOf((await f.login('test_user')).refresh)['user_id']).toBe(rotated['user_id']);
  });

  it('gives an access token carrying "7" without rotation', async () => {
    const f = numericIdFixture();
    await f.createNumberedUser('test_user', 7);
    const { access } = await f.jwt.refreshToken(madeBySimpleJwt(f, 'refresh', '7').token);
    expect(claimsOf(access)['user_id']).toBe('7');
    expect((await f.jwt.authenticate(bearer(access))).user?.username).toBe('test_user');
  });

  it('answers NO_ACTIVE_ACCOUNT when the user does not exist, writing nothing', async () => {
    const f = serviceFixture(connection, {
      settings: { rotateRefreshTokens: true, blacklistAfterRotation: true },
    });
    await f.createUser('test_user');
    const { token } = madeBySimpleJwt(f, 'refresh', '7');
    await expectError(f.jwt.refreshToken(token), 'NO_ACTIVE_ACCOUNT', noActiveAccount);
    expect(await f.outstanding()).toEqual([]);
    expect(await f.blacklisted()).toEqual([]);
  });

  it('refreshes a sliding token: "7", same jti and refresh_exp, later exp', async () => {
    const f = numericIdFixture();
    await f.createNumberedUser('test_user', 7);
    const { token } = madeBySimpleJwt(f, 'sliding', '7');
    f.clock.advance(10);
    const refreshed = claimsOf((await f.jwt.refreshSlidingToken(token)).token);
    expect(refreshed).toEqual({
      ...claimsOf(token),
      exp: y2k + 10 + lifetimes.sliding,
      iat: y2k + 10,
      user_id: '7',
    });
  });

  it('blacklists it, recording it as outstanding for the user "7"', async () => {
    const f = serviceFixture(connection);
    const { token, jti } = madeBySimpleJwt(f, 'refresh', '7');
    await expect(f.jwt.blacklistToken(token)).resolves.toEqual({ blacklisted: true });
    expect(await recordsOf(f)).toEqual([[jti, '7']]);
    expect((await f.blacklisted()).map((record) => record['_id'])).toEqual([jti]);
    await expectError(f.jwt.refreshToken(token), 'TOKEN_NOT_VALID', 'Token is blacklisted');
  });

  it('rotates it in a stateless service (no user model) to tokens carrying "7"', async () => {
    const clock = testClock();
    const jwt = createSimpleJwt({
      settings: { signingKey: hmacSecret, rotateRefreshTokens: true },
      now: clock,
    });
    const { token } = simpleJwtToken({ tokenType: 'refresh', userIdJson: '7', issuedAt: y2k, lifetime: 60 });
    const result = await jwt.refreshToken(token);
    expect([claimsOf(result.access)['user_id'], claimsOf(result.refresh ?? '')['user_id']]).toEqual([
      '7',
      '7',
    ]);
    expect((await jwt.authenticate(bearer(result.access))).tokenUser?.id).toBe('7');
  });
});
