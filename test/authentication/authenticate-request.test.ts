import { describe, expect, it } from 'vitest';
import { challengeOf, expectError, lifetimes, password, serviceFixture } from '../services/fixture.js';
import { connectFreshDatabase } from '../support/database.js';
import { forgeJwt, hmacSigner } from '../support/forge-jwt.js';
import { hmacSecret, longHmacSecret } from '../support/jwt-keys.js';
import { y2k } from '../support/token-fixture.js';

// Header parsing and token classes (Simple JWT's JWTAuthentication).
const connection = await connectFreshDatabase('authenticate_request');
const anonymous = { user: null, tokenUser: null, token: null };
const notValidForAnyType = 'Given token not valid for any token type';

async function loggedIn(options: Parameters<typeof serviceFixture>[1] = {}) {
  const f = serviceFixture(connection, options);
  const user = await f.createUser('test_user');
  const pair = await f.login('test_user');
  return { f, user, ...pair };
}

describe('the header', () => {
  it.each([
    ['no header', undefined],
    ['a null header', null],
    ['an empty header', ''],
    ['only whitespace', '   '],
  ])('%s is anonymous', async (_case, authorization) => {
    const { f } = await loggedIn();
    expect(await f.jwt.authenticate({ authorization })).toEqual(anonymous);
  });

  it.each([
    ['another scheme', (token: string) => `Token ${token}`],
    ['Basic', () => 'Basic dXNlcjpwYXNz'],
    [
      'a lower-case "bearer" (matched case-sensitively, as Simple JWT 5.5.1)',
      (token: string) => `bearer ${token}`,
    ],
    ['the scheme alone in another case', () => 'BEARER'],
  ])('%s is anonymous, even with a valid token', async (_case, header) => {
    const { f, access } = await loggedIn();
    expect(await f.jwt.authenticate({ authorization: header(access) })).toEqual(anonymous);
  });

  it.each([
    ['one space', (token: string) => `Bearer ${token}`],
    ['several spaces', (token: string) => `Bearer   ${token}`],
    ['a tab and surrounding whitespace', (token: string) => `  Bearer\t${token}  `],
  ])(
    '"Bearer" then the token with %s authenticates, exposing user, tokenUser and token',
    async (_case, header) => {
      const { f, user, access } = await loggedIn();
      const result = await f.jwt.authenticate({ authorization: header(access) });
      expect(result.user?._id.toHexString()).toBe(user._id.toHexString());
      expect(result.user?.username).toBe('test_user');
      expect(result.tokenUser?.id).toBe(user._id.toHexString());
      expect(result.token).toBeInstanceOf(f.jwt.tokens.AccessToken);
      expect(result.token?.token).toBe(access);
    },
  );

  it.each(['Bearer', 'Bearer a b', 'Bearer  a  b  c'])(
    '%j: BAD_AUTHORIZATION_HEADER',
    async (authorization) => {
      const { f } = await loggedIn();
      const error = await expectError(
        f.jwt.authenticate({ authorization }),
        'BAD_AUTHORIZATION_HEADER',
        'Authorization header must contain two space-delimited values',
      );
      expect(challengeOf(error)).toEqual({
        status: 401,
        fromMap: 'Bearer realm="api"',
        fromProperty: 'Bearer realm="api"',
      });
    },
  );

  it('accepts every authHeaderTypes scheme, and challenges with the first', async () => {
    const { f, access } = await loggedIn({ settings: { authHeaderTypes: ['JWT', 'Bearer'] } });
    for (const scheme of ['JWT', 'Bearer']) {
      expect((await f.jwt.authenticate({ authorization: `${scheme} ${access}` })).user).not.toBeNull();
    }
    const error = await expectError(
      f.jwt.authenticate({ authorization: 'Bearer' }),
      'BAD_AUTHORIZATION_HEADER',
      'Authorization header must contain two space-delimited values',
    );
    expect(challengeOf(error)).toEqual({
      status: 401,
      fromMap: 'JWT realm="api"',
      fromProperty: 'JWT realm="api"',
    });
  });

  it('takes a plain string authHeaderTypes as one scheme', async () => {
    const { f, access } = await loggedIn({ settings: { authHeaderTypes: 'JWT' } });
    expect(await f.jwt.authenticate({ authorization: `Bearer ${access}` })).toEqual(anonymous);
    expect((await f.jwt.authenticate({ authorization: `JWT ${access}` })).user).not.toBeNull();
  });

  it('reads graphql-ws connectionParams under the header name, in any case', async () => {
    const { f, access } = await loggedIn();
    for (const key of ['authorization', 'Authorization']) {
      const result = await f.jwt.authenticate({ connectionParams: { [key]: `Bearer ${access}` } });
      expect(result.user?.username).toBe('test_user');
    }
    expect(await f.jwt.authenticate({ connectionParams: { token: `Bearer ${access}` } })).toEqual(anonymous);
    expect(await f.jwt.authenticate({ connectionParams: { authorization: 42 } })).toEqual(anonymous);
  });

  it('reads authHeaderName "x-access-token" from Yoga, Apollo and connectionParams, and nothing else', async () => {
    const { f, access } = await loggedIn({ settings: { authHeaderName: 'X-Access-Token' } });
    const header = `Bearer ${access}`;
    const request = (headers: Record<string, string>) => new Request('http://localhost/graphql', { headers });

    expect((await f.jwt.yogaContext({ request: request({ 'x-access-token': header }) })).user).not.toBeNull();
    expect(
      (await f.jwt.apolloContext({ req: { headers: { 'x-access-token': header } } })).user,
    ).not.toBeNull();
    const viaParams = await f.jwt.authenticate({ connectionParams: { 'X-Access-Token': header } });
    expect(viaParams.user).not.toBeNull();

    expect(await f.jwt.yogaContext({ request: request({ authorization: header }) })).toEqual(anonymous);
    expect(await f.jwt.apolloContext({ req: { headers: { authorization: header } } })).toEqual(anonymous);
    expect(await f.jwt.authenticate({ connectionParams: { Authorization: header } })).toEqual(anonymous);
  });
});

describe('the token classes tried (authTokenClasses)', () => {
  it('refuses a refresh token with one message per class tried', async () => {
    const { f, refresh } = await loggedIn();
    const error = await expectError(
      f.jwt.authenticate({ authorization: `Bearer ${refresh}` }),
      'TOKEN_NOT_VALID',
      notValidForAnyType,
    );
    expect(error.extensions['messages']).toEqual([
      { tokenClass: 'AccessToken', tokenType: 'access', message: 'Token has wrong type' },
    ]);
    expect(challengeOf(error)).toMatchObject({ status: 401, fromMap: 'Bearer realm="api"' });
  });

  it("with ['access', 'sliding']: both kinds authenticate; a refresh token gets two messages in order", async () => {
    const { f, access, refresh } = await loggedIn({ settings: { authTokenClasses: ['access', 'sliding'] } });
    const { token: sliding } = await f.jwt.obtainSlidingToken({ username: 'test_user', password });
    expect((await f.jwt.authenticate({ authorization: `Bearer ${access}` })).token).toBeInstanceOf(
      f.jwt.tokens.AccessToken,
    );
    expect((await f.jwt.authenticate({ authorization: `Bearer ${sliding}` })).token).toBeInstanceOf(
      f.jwt.tokens.SlidingToken,
    );
    const error = await expectError(
      f.jwt.authenticate({ authorization: `Bearer ${refresh}` }),
      'TOKEN_NOT_VALID',
      notValidForAnyType,
    );
    expect(error.extensions['messages']).toEqual([
      { tokenClass: 'AccessToken', tokenType: 'access', message: 'Token has wrong type' },
      { tokenClass: 'SlidingToken', tokenType: 'sliding', message: 'Token has wrong type' },
    ]);
  });

  it("with ['sliding'] a sliding token authenticates and an access token does not", async () => {
    const { f, access } = await loggedIn({ settings: { authTokenClasses: ['sliding'] } });
    const { token: sliding } = await f.jwt.obtainSlidingToken({ username: 'test_user', password });
    expect((await f.jwt.authenticate({ authorization: `Bearer ${sliding}` })).user?.username).toBe(
      'test_user',
    );
    const error = await expectError(
      f.jwt.authenticate({ authorization: `Bearer ${access}` }),
      'TOKEN_NOT_VALID',
      notValidForAnyType,
    );
    expect(error.extensions['messages']).toEqual([
      { tokenClass: 'SlidingToken', tokenType: 'sliding', message: 'Token has wrong type' },
    ]);
  });

  it('checks the blacklist for sliding tokens in the header', async () => {
    const { f } = await loggedIn({ settings: { authTokenClasses: ['sliding'] } });
    const { token: sliding } = await f.jwt.obtainSlidingToken({ username: 'test_user', password });
    await (await f.jwt.tokens.SlidingToken.fromString(sliding)).blacklist();
    const error = await expectError(
      f.jwt.authenticate({ authorization: `Bearer ${sliding}` }),
      'TOKEN_NOT_VALID',
      notValidForAnyType,
    );
    expect(error.extensions['messages']).toEqual([
      { tokenClass: 'SlidingToken', tokenType: 'sliding', message: 'Token is blacklisted' },
    ]);
  });

  it('accepts an access token until its exp and then says "Token is expired"', async () => {
    const { f, access } = await loggedIn();
    f.clock.advance(lifetimes.access - 1);
    expect((await f.jwt.authenticate({ authorization: `Bearer ${access}` })).user).not.toBeNull();
    f.clock.advance(1);
    const error = await expectError(
      f.jwt.authenticate({ authorization: `Bearer ${access}` }),
      'TOKEN_NOT_VALID',
      notValidForAnyType,
    );
    expect(error.extensions['messages']).toEqual([
      { tokenClass: 'AccessToken', tokenType: 'access', message: 'Token is expired' },
    ]);
  });

  const base = { token_type: 'access', exp: y2k + 300, iat: y2k, jti: 'a'.repeat(32), user_id: '1' };
  const hs256 = { alg: 'HS256', typ: 'JWT' };
  it.each([
    ['no jti', hs256, { ...base, jti: undefined }, hmacSigner(hmacSecret), 'Token has no id'],
    ['no type', hs256, { ...base, token_type: undefined }, hmacSigner(hmacSecret), 'Token has no type'],
    ['no exp', hs256, { ...base, exp: undefined }, hmacSigner(hmacSecret), "Token has no 'exp' claim"],
    [
      'iat 1 h in the future',
      hs256,
      { ...base, iat: y2k + 3600 },
      hmacSigner(hmacSecret),
      'Token is invalid',
    ],
    [
      'nbf 1 h in the future',
      hs256,
      { ...base, nbf: y2k + 3600 },
      hmacSigner(hmacSecret),
      'Token is invalid',
    ],
    ['exp "abc"', hs256, { ...base, exp: 'abc' }, hmacSigner(hmacSecret), 'Token is invalid'],
    ['alg none', { alg: 'none', typ: 'JWT' }, base, () => '', 'Token is invalid'],
    [
      'HS512 with the same key',
      { alg: 'HS512', typ: 'JWT' },
      base,
      hmacSigner(hmacSecret, 'sha512'),
      'Token is invalid',
    ],
    ['another key', hs256, base, hmacSigner(longHmacSecret), 'Token is invalid'],
  ])('refuses a token with %s: "%s"', async (_case, header, claims, signer, message) => {
    const f = serviceFixture(connection);
    const token = forgeJwt(header, claims, signer);
    const error = await expectError(
      f.jwt.authenticate({ authorization: `Bearer ${token}` }),
      'TOKEN_NOT_VALID',
      notValidForAnyType,
    );
    expect(error.extensions['messages']).toEqual([
      { tokenClass: 'AccessToken', tokenType: 'access', message },
    ]);
  });
});

describe('a session', () => {
  it('obtain, authenticate, refresh, authenticate with the new access token', async () => {
    const { f, refresh } = await loggedIn();
    f.clock.advance(lifetimes.access);
    const { access } = await f.jwt.refreshToken(refresh);
    expect((await f.jwt.authenticate({ authorization: `Bearer ${access}` })).user?.username).toBe(
      'test_user',
    );
  });
});
