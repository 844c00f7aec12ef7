import { describe, expect, it, vi } from 'vitest';
import { connectFreshDatabase } from '../support/database.js';
import { segmentJson } from '../support/forge-jwt.js';
import { y2k } from '../support/token-fixture.js';
import {
  challengeOf,
  claimsOf,
  expectError,
  jtiPattern,
  lifetimes,
  password,
  revokeHashOf,
  serviceFixture,
} from './fixture.js';

const connection = await connectFreshDatabase('services_obtain');
const noActiveAccount = 'No active account found with the given credentials';

describe('obtainTokenPair (TokenObtainPairSerializer)', () => {
  it('returns refresh then access, with exactly Simple JWT claims, and records the refresh token', async () => {
    const f = serviceFixture(connection);
    const user = await f.createUser('test_user');
    const pair = await f.login('test_user');
    expect(Object.keys(pair)).toEqual(['refresh', 'access']);

    const refresh = claimsOf(pair.refresh);
    const access = claimsOf(pair.access);
    expect(Object.keys(refresh)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id', 'fam', 'auth_time']);
    expect(refresh).toMatchObject({
      token_type: 'refresh',
      exp: y2k + lifetimes.refresh,
      iat: y2k,
      user_id: user._id.toHexString(),
    });
    expect(Object.keys(access)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id', 'fam', 'auth_time']);
    expect(access).toMatchObject({
      token_type: 'access',
      exp: y2k + lifetimes.access,
      iat: y2k,
      user_id: user._id.toHexString(),
    });
    expect(refresh['jti']).toMatch(jtiPattern);
    expect(access['jti']).toMatch(jtiPattern);
    expect(access['jti']).not.toBe(refresh['jti']);
    expect(segmentJson(pair.access, 0)).toEqual({ alg: 'HS256', typ: 'JWT' });

    const records = await f.outstanding();
    expect(records).toHaveLength(1);
    // Ids and times only: never the token string.
    expect(records[0]).toEqual({
      _id: refresh['jti'],
      user: user._id.toHexString(),
      tokenType: 'refresh',
      createdAt: new Date(y2k * 1000),
      expiresAt: new Date((y2k + lifetimes.refresh) * 1000),
    });
    expect(await f.blacklisted()).toEqual([]);
  });

  it('records one outstanding token per obtain', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const first = await f.login('test_user');
    f.clock.advance(1);
    const second = await f.login('test_user');
    const jtis = (await f.outstanding()).map((record) => record['_id']);
    expect(jtis.sort()).toEqual([claimsOf(first.refresh)['jti'], claimsOf(second.refresh)['jti']].sort());
  });

  it.each([
    ['a wrong password', 'test_user', 'wrong_password'],
    ['an unknown user', 'nobody', password],
    ['an inactive user', 'sleeper', password],
  ])(
    'answers %s with the one identical NO_ACTIVE_ACCOUNT error and records nothing',
    async (_case, username, given) => {
      const f = serviceFixture(connection);
      await f.createUser('test_user');
      await f.createUser('sleeper', { isActive: false });
      const error = await expectError(
        f.jwt.obtainTokenPair({ username, password: given }),
        'NO_ACTIVE_ACCOUNT',
        noActiveAccount,
      );
      expect(challengeOf(error)).toEqual({
        status: 401,
        fromMap: 'Bearer realm="api"',
        fromProperty: 'Bearer realm="api"',
      });
      expect(await f.outstanding()).toEqual([]);
    },
  );

  it('gives an inactive user tokens with checkUserIsActive false, and warns', async () => {
    const f = serviceFixture(connection, { settings: { checkUserIsActive: false } });
    const sleeper = await f.createUser('sleeper', { isActive: false });
    const pair = await f.login('sleeper');
    expect(claimsOf(pair.access)['user_id']).toBe(sleeper._id.toHexString());
    expect(f.warnings).toEqual([
      `Creating token for inactive user: ${sleeper._id.toHexString()}. If this is not intentional, consider checking the user's status before calling the \`forUser\` method.`,
    ]);
  });

  it.each([
    ['username', { $ne: null }, password, 'Not a valid string.'],
    ['username', 42, password, 'Not a valid string.'],
    ['username', ['test_user'], password, 'Not a valid string.'],
    ['username', null, password, 'This field may not be null.'],
    ['username', undefined, password, 'This field is required.'],
    ['username', '   ', password, 'This field may not be blank.'],
    ['password', 'test_user', { $gt: '' }, 'Not a valid string.'],
    ['password', 'test_user', 12345, 'Not a valid string.'],
    ['password', 'test_user', undefined, 'This field is required.'],
  ])('refuses %s %j before any lookup (BAD_USER_INPUT)', async (field, username, given, message) => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const findOne = vi.spyOn(f.User, 'findOne');
    const error = await expectError(
      f.jwt.obtainTokenPair({ username, password: given }),
      'BAD_USER_INPUT',
      message,
    );
    expect(error.extensions['field']).toBe(field);
    expect(challengeOf(error).status).toBe(400);
    expect(findOne).not.toHaveBeenCalled();
    expect(await f.outstanding()).toEqual([]);
    // The spy does see the lookup of an attempt that gets past input validation.
    await f.login('test_user');
    expect(findOne).toHaveBeenCalledTimes(1);
  });

  it('leaves lastLogin null by default', async () => {
    const f = serviceFixture(connection);
    const user = await f.createUser('test_user');
    await f.login('test_user');
    await f.jwt.obtainSlidingToken({ username: 'test_user', password });
    expect((await f.reload(user)).lastLogin).toBeNull();
  });

  it('sets lastLogin to now with updateLastLogin, on obtain (pair and sliding) but never on refresh', async () => {
    const f = serviceFixture(connection, { settings: { updateLastLogin: true } });
    const user = await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    expect((await f.reload(user)).lastLogin).toEqual(new Date(y2k * 1000));

    f.clock.advance(60);
    await f.jwt.obtainSlidingToken({ username: 'test_user', password });
    expect((await f.reload(user)).lastLogin).toEqual(new Date((y2k + 60) * 1000));

    f.clock.advance(60);
    await f.jwt.refreshToken(refresh);
    expect((await f.reload(user)).lastLogin).toEqual(new Date((y2k + 60) * 1000));
  });

  it('puts the getToken claims in the refresh token, its access token and what is recorded', async () => {
    const f = serviceFixture(connection, {
      getToken: (user, token) => token.set('username', user.username),
    });
    await f.createUser('test_user');
    const pair = await f.login('test_user');
    expect(claimsOf(pair.refresh)['username']).toBe('test_user');
    expect(claimsOf(pair.access)['username']).toBe('test_user');
    const later = await f.jwt.refreshToken(pair.refresh);
    expect(claimsOf(later.access)['username']).toBe('test_user');
  });

  it('adds the revoke-hash claim to both tokens with checkRevokeToken', async () => {
    const f = serviceFixture(connection, { settings: { checkRevokeToken: true } });
    const user = await f.createUser('test_user');
    const pair = await f.login('test_user');
    const expected = revokeHashOf(user.password);
    expect(claimsOf(pair.refresh)['hash_password']).toBe(expected);
    expect(claimsOf(pair.access)['hash_password']).toBe(expected);
  });

  it('follows a custom userAuthenticationRule: one refusing everybody', async () => {
    const f = serviceFixture(connection, { settings: { userAuthenticationRule: () => false } });
    await f.createUser('test_user');
    await expectError(f.login('test_user'), 'NO_ACTIVE_ACCOUNT', noActiveAccount);
  });

  it('follows a custom userAuthenticationRule: one admitting inactive users', async () => {
    const f = serviceFixture(connection, { settings: { userAuthenticationRule: (user) => user !== null } });
    const sleeper = await f.createUser('sleeper', { isActive: false });
    const pair = await f.login('sleeper');
    expect(claimsOf(pair.refresh)['user_id']).toBe(sleeper._id.toHexString());
    await expectError(
      f.jwt.obtainTokenPair({ username: 'sleeper', password: 'wrong' }),
      'NO_ACTIVE_ACCOUNT',
      noActiveAccount,
    );
  });
});

describe('obtainSlidingToken (TokenObtainSlidingSerializer)', () => {
  it('returns one sliding token with Simple JWT claims, recorded as outstanding', async () => {
    const f = serviceFixture(connection, { getToken: (_user, token) => token.set('tier', 'gold') });
    const user = await f.createUser('test_user');
    const result = await f.jwt.obtainSlidingToken({ username: 'test_user', password });
    expect(Object.keys(result)).toEqual(['token']);
    const claims = claimsOf(result.token);
    expect(Object.keys(claims)).toEqual([
      'token_type',
      'exp',
      'iat',
      'jti',
      'refresh_exp',
      'user_id',
      'fam',
      'auth_time',
      'tier',
    ]);
    expect(claims).toMatchObject({
      token_type: 'sliding',
      exp: y2k + lifetimes.sliding,
      iat: y2k,
      refresh_exp: y2k + lifetimes.slidingRefresh,
      user_id: user._id.toHexString(),
      tier: 'gold',
    });
    expect(claims['jti']).toMatch(jtiPattern);
    const records = await f.outstanding();
    expect(records.map((record) => [record['_id'], record['tokenType']])).toEqual([
      [claims['jti'], 'sliding'],
    ]);
  });

  it.each([
    ['a wrong password', 'test_user', 'wrong_password'],
    ['an unknown user', 'nobody', password],
    ['an inactive user', 'sleeper', password],
  ])('answers %s with NO_ACTIVE_ACCOUNT', async (_case, username, given) => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    await f.createUser('sleeper', { isActive: false });
    await expectError(
      f.jwt.obtainSlidingToken({ username, password: given }),
      'NO_ACTIVE_ACCOUNT',
      noActiveAccount,
    );
    expect(await f.outstanding()).toEqual([]);
  });
});
