import mongoose from 'mongoose';
import { setPassword, TokenStoreUnavailableError } from 'pothos-plugin-simple-jwt';
import { afterAll, describe, expect, it } from 'vitest';
import {
  challengeOf,
  expectError,
  password,
  revokeHashOf,
  type ServiceFixture,
  type ServiceFixtureOptions,
  serviceFixture,
} from '../services/fixture.js';
import { connectFreshDatabase, freshDatabaseUri } from '../support/database.js';

// Loading the user (JWTAuthentication.get_user), stateless mode, and failing closed.
const connection = await connectFreshDatabase('authenticate_request_user');
const anonymous = { user: null, tokenUser: null, token: null };

/** A fixture whose users live on a connection of their own, which a test may close (a database outage). */
async function onDedicatedConnection(options: ServiceFixtureOptions = {}) {
  const userConnection = await mongoose.createConnection(freshDatabaseUri('users_outage')).asPromise();
  afterAll(() => userConnection.close());
  const f = serviceFixture(connection, { ...options, userConnection });
  const user = await f.createUser('test_user');
  const { access } = await f.login('test_user');
  const outage = async () => {
    await userConnection.dropDatabase();
    await userConnection.close();
  };
  return { f, user, access, outage };
}

/** An access token signed by the instance for the claims `edit` sets. */
function craftedAccess(
  f: ServiceFixture,
  edit: (token: InstanceType<typeof f.jwt.tokens.AccessToken>) => void,
) {
  const token = new f.jwt.tokens.AccessToken();
  edit(token);
  return token.toString();
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('loading the user in database mode', () => {
  it('refuses a token without a user claim: TOKEN_NOT_VALID without messages', async () => {
    const f = serviceFixture(connection);
    const error = await expectError(
      f.jwt.authenticate(bearer(craftedAccess(f, () => undefined))),
      'TOKEN_NOT_VALID',
      'Token contained no recognizable user identification',
    );
    expect(error.extensions).not.toHaveProperty('messages');
    expect(challengeOf(error)).toMatchObject({ status: 401, fromMap: 'Bearer realm="api"' });
  });

  it.each([
    ['an ObjectId nobody has', '0123456789abcdef01234567'],
    ['a malformed id', 'abc'],
    ['operator JSON text', '{"$ne":null}'],
    ['an upper-case spelling of a real id', null],
    ['an integer (Simple JWT up to 5.5.0)', 42],
  ])('answers USER_NOT_FOUND, never a cast error, for %s', async (_case, userId) => {
    const f = serviceFixture(connection);
    const user = await f.createUser('test_user');
    const claim = userId ?? user._id.toHexString().toUpperCase();
    const error = await expectError(
      f.jwt.authenticate(bearer(craftedAccess(f, (token) => token.set('user_id', claim)))),
      'USER_NOT_FOUND',
      'User not found',
    );
    expect(challengeOf(error).status).toBe(401);
  });

  it.each([
    ['an object', { $ne: null }],
    ['an array', ['42']],
    ['a boolean', true],
    ['a fraction', 1.5],
    ['an unsafe integer', 2 ** 53],
    ['an empty string', ''],
  ])('refuses a user claim that is %s as no recognizable user', async (_case, userId) => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    await expectError(
      f.jwt.authenticate(bearer(craftedAccess(f, (token) => token.set('user_id', userId)))),
      'TOKEN_NOT_VALID',
      'Token contained no recognizable user identification',
    );
  });

  it('answers USER_INACTIVE for an inactive user, and gives the user with checkUserIsActive false', async () => {
    const strict = serviceFixture(connection);
    const sleeper = await strict.createUser('sleeper', { isActive: false });
    const token = (await strict.jwt.tokens.AccessToken.forUser(sleeper)).toString();
    await expectError(strict.jwt.authenticate(bearer(token)), 'USER_INACTIVE', 'User is inactive');

    const lenient = serviceFixture(connection, { settings: { checkUserIsActive: false } });
    const other = await lenient.createUser('sleeper', { isActive: false });
    const lenientToken = (await lenient.jwt.tokens.AccessToken.forUser(other)).toString();
    const result = await lenient.jwt.authenticate(bearer(lenientToken));
    expect(result.user?._id.toHexString()).toBe(other._id.toHexString());
  });

  it('does not consult userAuthenticationRule (Simple JWT does not either)', async () => {
    const f = serviceFixture(connection, { settings: { userAuthenticationRule: () => false } });
    const user = await f.createUser('test_user');
    const token = (await f.jwt.tokens.AccessToken.forUser(user)).toString();
    expect((await f.jwt.authenticate(bearer(token))).user?.username).toBe('test_user');
  });
});

describe('checkRevokeToken', () => {
  const revoke = { settings: { checkRevokeToken: true, revokeTokenClaim: 'revoke_token_claim' } };

  it('gives the user while the claim matches the password hash', async () => {
    const f = serviceFixture(connection, revoke);
    const user = await f.createUser('test_user');
    const { access } = await f.login('test_user');
    const token = (await f.jwt.tokens.AccessToken.fromString(access)).get('revoke_token_claim');
    expect(token).toBe(revokeHashOf(user.password));
    expect((await f.jwt.authenticate(bearer(access))).user?.username).toBe('test_user');
  });

  it('answers PASSWORD_CHANGED after a password change', async () => {
    const f = serviceFixture(connection, revoke);
    const user = await f.createUser('test_user');
    const { access } = await f.login('test_user');
    await setPassword(user, 'new_password', f.hasher);
    await user.save();
    const error = await expectError(
      f.jwt.authenticate(bearer(access)),
      'PASSWORD_CHANGED',
      "The user's password has been changed.",
    );
    expect(challengeOf(error).status).toBe(401);
    // A new login works again.
    const { access: fresh } = await f.jwt.obtainTokenPair({
      username: 'test_user',
      password: 'new_password',
    });
    expect((await f.jwt.authenticate(bearer(fresh))).user).not.toBeNull();
  });

  it.each([
    ['no hash claim', undefined],
    ['a wrong hash', 'A'.repeat(64)],
    ['a non-string hash', 12],
  ])('answers PASSWORD_CHANGED for a token with %s', async (_case, hash) => {
    const f = serviceFixture(connection, revoke);
    const user = await f.createUser('test_user');
    const token = craftedAccess(f, (access) => {
      access.set('user_id', user._id.toHexString());
      if (hash !== undefined) access.set('revoke_token_claim', hash);
    });
    await expectError(
      f.jwt.authenticate(bearer(token)),
      'PASSWORD_CHANGED',
      "The user's password has been changed.",
    );
  });
});

describe("stateless mode (userLookup: 'stateless', JWTStatelessUserAuthentication)", () => {
  it('gives a TokenUser and no user, without reading the database', async () => {
    const { f, access, outage } = await onDedicatedConnection({ userLookup: 'stateless' });
    const { user } = await f.jwt.authenticate(bearer(access));
    expect(user).toBeNull();
    await outage();
    const result = await f.jwt.authenticate(bearer(access));
    expect(result.user).toBeNull();
    expect(result.tokenUser?.id).toBe(result.token?.get('user_id'));
    expect(result.token?.token).toBe(access);
  });

  it('needs no live user: deleted and inactive users still get their TokenUser', async () => {
    const f = serviceFixture(connection, { userLookup: 'stateless' });
    const token = craftedAccess(f, (access) => access.set('user_id', '42'));
    const result = await f.jwt.authenticate(bearer(token));
    expect(result.tokenUser?.id).toBe('42');
    expect(result.tokenUser?.isActive).toBe(true);
  });

  it('reads an integer user claim as its decimal string', async () => {
    const f = serviceFixture(connection, { userLookup: 'stateless' });
    const result = await f.jwt.authenticate(bearer(craftedAccess(f, (access) => access.set('user_id', 42))));
    expect(result.tokenUser?.id).toBe('42');
  });

  it.each([
    ['no user claim', undefined],
    ['a fraction', 1.5],
    ['an object', { $ne: null }],
  ])('still refuses a token with %s', async (_case, userId) => {
    const f = serviceFixture(connection, { userLookup: 'stateless' });
    const token = craftedAccess(f, (access) => {
      if (userId !== undefined) access.set('user_id', userId);
    });
    await expectError(
      f.jwt.authenticate(bearer(token)),
      'TOKEN_NOT_VALID',
      'Token contained no recognizable user identification',
    );
  });
});

describe('anonymousOnInvalidToken', () => {
  const lenient = { settings: { anonymousOnInvalidToken: true } };

  it.each([
    ['garbage', () => 'Bearer not.a.token'],
    ['a bad header', () => 'Bearer a b'],
    ['a refresh token', (tokens: { refresh: string }) => `Bearer ${tokens.refresh}`],
    ['an unknown user', (tokens: { stranger: string }) => `Bearer ${tokens.stranger}`],
    ['an inactive user', (tokens: { sleeper: string }) => `Bearer ${tokens.sleeper}`],
  ])('treats %s as anonymous', async (_case, header) => {
    const f = serviceFixture(connection, lenient);
    await f.createUser('test_user');
    const sleeperUser = await f.createUser('sleeper', { isActive: false });
    const { refresh } = await f.login('test_user');
    const tokens = {
      refresh,
      stranger: craftedAccess(f, (access) => access.set('user_id', '0123456789abcdef01234567')),
      sleeper: (await f.jwt.tokens.AccessToken.forUser(sleeperUser)).toString(),
    };
    expect(await f.jwt.authenticate({ authorization: header(tokens) })).toEqual(anonymous);
  });

  it('still authenticates a good token', async () => {
    const f = serviceFixture(connection, lenient);
    await f.createUser('test_user');
    const { access } = await f.jwt.obtainTokenPair({ username: 'test_user', password });
    expect((await f.jwt.authenticate(bearer(access))).user?.username).toBe('test_user');
  });
});

describe('every 401 challenges with the first authHeaderTypes entry', () => {
  it.each([
    ['TOKEN_NOT_VALID', 'no user claim'],
    ['USER_NOT_FOUND', 'unknown'],
    ['USER_INACTIVE', 'inactive'],
    ['PASSWORD_CHANGED', 'stale hash'],
  ])('%s (%s): status 401, WWW-Authenticate: JWT realm="api"', async (code, situation) => {
    const f = serviceFixture(connection, {
      settings: { authHeaderTypes: ['JWT', 'Bearer'], checkRevokeToken: true },
    });
    const user = await f.createUser('test_user', { isActive: situation !== 'inactive' });
    const token = craftedAccess(f, (access) => {
      if (situation === 'unknown') access.set('user_id', '0123456789abcdef01234567');
      if (situation !== 'no user claim' && situation !== 'unknown')
        access.set('user_id', user._id.toHexString());
      if (situation === 'inactive') access.set('hash_password', revokeHashOf(user.password));
    });
    let caught: { extensions: Record<string, unknown> } | undefined;
    await f.jwt.authenticate({ authorization: `Bearer ${token}` }).catch((error) => {
      caught = error;
    });
    expect(caught?.extensions['code']).toBe(code);
    expect(challengeOf(caught ?? { extensions: {} })).toEqual({
      status: 401,
      fromMap: 'JWT realm="api"',
      fromProperty: 'JWT realm="api"',
    });
  });
});

describe('a database outage fails closed', () => {
  it.each([false, true])(
    'TOKEN_STORE_UNAVAILABLE (503, no challenge) with anonymousOnInvalidToken %s',
    async (anonymousOnInvalidToken) => {
      const { f, access, outage } = await onDedicatedConnection({ settings: { anonymousOnInvalidToken } });
      expect((await f.jwt.authenticate(bearer(access))).user).not.toBeNull();
      await outage();
      const error = await expectError(
        f.jwt.authenticate(bearer(access)),
        'TOKEN_STORE_UNAVAILABLE',
        'The token store is unavailable. Try again later.',
      );
      expect(error).toBeInstanceOf(TokenStoreUnavailableError);
      expect(challengeOf(error)).toEqual({ status: 503, fromMap: undefined, fromProperty: undefined });
    },
  );

  it('a token store outage while checking a sliding token is TOKEN_STORE_UNAVAILABLE too', async () => {
    const storeConnection = await mongoose.createConnection(freshDatabaseUri('store_outage')).asPromise();
    const f = serviceFixture(storeConnection, {
      userConnection: connection,
      settings: { authTokenClasses: ['sliding'], anonymousOnInvalidToken: true },
    });
    await f.createUser('test_user');
    const { token } = await f.jwt.obtainSlidingToken({ username: 'test_user', password });
    await storeConnection.dropDatabase();
    await storeConnection.close();
    await expectError(
      f.jwt.authenticate(bearer(token)),
      'TOKEN_STORE_UNAVAILABLE',
      'The token store is unavailable. Try again later.',
    );
  });
});
