import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MeDocument,
  TokenBlacklistDocument,
  TokenObtainPairDocument,
  TokenObtainSlidingDocument,
  TokenRefreshDocument,
  TokenRefreshSlidingDocument,
  TokenVerifyDocument,
  WhoamiDocument,
} from '../../examples/generated/graphql.js';
import { createExampleApp } from '../../examples/yoga/app.js';
import { createScryptPasswordHasher, createUser, insecureTestScryptOptions } from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { segmentJson } from '../support/forge-jwt.js';
import { firstError, type GraphQLResponse, graphqlClient } from '../support/graphql-client.js';
import { testClock } from '../support/token-fixture.js';
import { type ListeningServer, listen } from './listen.js';

// The example server (examples/yoga/app.ts) with the settings server.ts uses, over real HTTP.
const clock = testClock(Math.floor(Date.now() / 1000));
const connection = await connectFreshDatabase('yoga_http');
const { yoga, User } = createExampleApp({
  connection,
  settings: {
    signingKey: randomBytes(64).toString('base64url'),
    rotateRefreshTokens: true,
    blacklistAfterRotation: true,
    authTokenClasses: ['access', 'sliding'],
  },
  passwordHasher: createScryptPasswordHasher(insecureTestScryptOptions),
  now: clock,
});
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const demo = await createUser(User, { username: 'demo', password: 'demo-password' }, hasher);
await createUser(User, { username: 'inactive', password: 'demo-password', isActive: false }, hasher);
const credentials = { username: 'demo', password: 'demo-password' };

let server: ListeningServer;
let execute: ReturnType<typeof graphqlClient>;
// Every body a client received, checked at the end for leaked internals.
const bodies: string[] = [];
const run: typeof execute = async (document, variables, auth) => {
  const response = await execute(document, variables, auth);
  bodies.push(response.body);
  return response;
};

beforeAll(async () => {
  server = await listen(yoga);
  execute = graphqlClient(fetch, server.url);
});
afterAll(async () => {
  await server.close();
});

async function obtainPair() {
  const { data, status } = await run(TokenObtainPairDocument, credentials);
  expect(status).toBe(200);
  const pair = data?.tokenObtainPair;
  if (!pair) throw new Error('tokenObtainPair returned no tokens');
  return pair;
}

function expectUnauthorized<T>(response: GraphQLResponse<T>, code: string, message: string) {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
  expect(firstError(response)).toMatchObject({ code, message });
}

describe('the example server over HTTP', () => {
  it('obtains a pair whose access token authenticates `me`', async () => {
    const { access, refresh } = await obtainPair();
    expect(segmentJson(access, 1)).toMatchObject({ token_type: 'access', user_id: String(demo._id) });
    expect(segmentJson(refresh, 1)).toMatchObject({ token_type: 'refresh', user_id: String(demo._id) });
    const me = await run(MeDocument, {}, { token: access });
    expect(me.status).toBe(200);
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toEqual({ id: String(demo._id), username: 'demo', isStaff: false });
  });

  it('rotates the refresh token; the old one is then blacklisted, and replaying it revokes the family', async () => {
    const { refresh } = await obtainPair();
    const rotated = await run(TokenRefreshDocument, { refresh });
    expect(rotated.errors).toBeUndefined();
    const next = rotated.data?.tokenRefresh;
    expect(next?.refresh).toEqual(expect.any(String));
    expect(next?.refresh).not.toBe(refresh);
    expect(segmentJson(next?.access ?? '', 1)).toMatchObject({ token_type: 'access' });

    expectUnauthorized(
      await run(TokenRefreshDocument, { refresh }),
      'TOKEN_NOT_VALID',
      'Token is blacklisted',
    );
    // The replay was reuse (the example server detects it through its rotation defaults): the
    // login's whole family is revoked, the newer token included.
    const again = await run(TokenRefreshDocument, { refresh: next?.refresh ?? '' });
    expect(again.errors?.[0]?.extensions?.['reason']).toBe('TOKEN_FAMILY_REVOKED');
  });

  it('verifies a token of any type and rejects a forged one', async () => {
    const { access, refresh } = await obtainPair();
    for (const token of [access, refresh]) {
      const verified = await run(TokenVerifyDocument, { token });
      expect(verified.data?.tokenVerify).toEqual({ valid: true });
    }
    const [header, payload] = access.split('.');
    const forged = `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
    expectUnauthorized(
      await run(TokenVerifyDocument, { token: forged }),
      'TOKEN_NOT_VALID',
      'Token is invalid',
    );
  });

  it('blacklists a refresh token (log out), which can then not be refreshed', async () => {
    const { refresh } = await obtainPair();
    const loggedOut = await run(TokenBlacklistDocument, { refresh });
    expect(loggedOut.data?.tokenBlacklist).toEqual({ blacklisted: true });
    expectUnauthorized(
      await run(TokenRefreshDocument, { refresh }),
      'TOKEN_NOT_VALID',
      'Token is blacklisted',
    );
    expectUnauthorized(
      await run(TokenBlacklistDocument, { refresh }),
      'TOKEN_NOT_VALID',
      'Token is blacklisted',
    );
  });

  it('obtains and refreshes a sliding token that authenticates requests', async () => {
    const obtained = await run(TokenObtainSlidingDocument, credentials);
    const token = obtained.data?.tokenObtainSliding?.token ?? '';
    const claims = segmentJson(token, 1) as { token_type: string; exp: number; jti: string };
    expect(claims.token_type).toBe('sliding');
    const me = await run(MeDocument, {}, { token });
    expect(me.data?.me?.username).toBe('demo');

    clock.advance(60);
    const refreshed = await run(TokenRefreshSlidingDocument, { token });
    const next = refreshed.data?.tokenRefreshSliding?.token ?? '';
    expect(segmentJson(next, 1)).toMatchObject({
      token_type: 'sliding',
      jti: claims.jti,
      exp: claims.exp + 60,
    });
    const whoami = await run(WhoamiDocument, {}, { token: next });
    expect(whoami.data?.whoami).toMatchObject({ id: String(demo._id), tokenType: 'sliding' });
  });

  it('rejects a refresh token sent as a bearer token with 401 and one message per token class', async () => {
    const { refresh } = await obtainPair();
    const response = await run(MeDocument, {}, { token: refresh });
    expectUnauthorized(response, 'TOKEN_NOT_VALID', 'Given token not valid for any token type');
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions?.['messages']).toEqual([
      { tokenClass: 'AccessToken', tokenType: 'access', message: 'Token has wrong type' },
      { tokenClass: 'SlidingToken', tokenType: 'sliding', message: 'Token has wrong type' },
    ]);
  });

  it.each([
    ['a wrong password', { username: 'demo', password: 'wrong-password' }],
    ['an unknown user', { username: 'nobody', password: 'demo-password' }],
    ['an inactive user', { username: 'inactive', password: 'demo-password' }],
  ])('answers %s with NO_ACTIVE_ACCOUNT', async (_case, wrong) => {
    const pair = await run(TokenObtainPairDocument, wrong);
    expectUnauthorized(pair, 'NO_ACTIVE_ACCOUNT', 'No active account found with the given credentials');
    expect(pair.data?.tokenObtainPair ?? null).toBeNull();
    const sliding = await run(TokenObtainSlidingDocument, wrong);
    expectUnauthorized(sliding, 'NO_ACTIVE_ACCOUNT', 'No active account found with the given credentials');
  });

  it('answers `me` without a token with UNAUTHENTICATED', async () => {
    const response = await run(MeDocument, {});
    expectUnauthorized(response, 'UNAUTHENTICATED', 'Authentication credentials were not provided.');
    expect(firstError(response).path).toEqual(['me']);
    expect(response.data).toEqual({ me: null });
  });

  it('answers `whoami` with null when anonymous and with the token user otherwise', async () => {
    const anonymous = await run(WhoamiDocument, {});
    expect(anonymous.status).toBe(200);
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data).toEqual({ whoami: null });

    const { access } = await obtainPair();
    const known = await run(WhoamiDocument, {}, { token: access });
    expect(known.data?.whoami).toMatchObject({ id: String(demo._id), tokenType: 'access' });
    expect(known.data?.whoami?.claims).toContainEqual({
      name: 'user_id',
      value: JSON.stringify(String(demo._id)),
    });
  });

  it.each([
    ['Bearer', 'BAD_AUTHORIZATION_HEADER', 'Authorization header must contain two space-delimited values'],
    [
      'Bearer a b',
      'BAD_AUTHORIZATION_HEADER',
      'Authorization header must contain two space-delimited values',
    ],
    ['Bearer not-a-jwt', 'TOKEN_NOT_VALID', 'Given token not valid for any token type'],
  ])('rejects the header %j with %s and 401', async (authorization, code, message) => {
    expectUnauthorized(await run(WhoamiDocument, {}, { authorization }), code, message);
  });

  it.each(['Token abc', 'bearer abc', 'Basic ZGVtbzpkZW1vLXBhc3N3b3Jk'])(
    'treats the header %j (another scheme) as anonymous',
    async (authorization) => {
      const response = await run(WhoamiDocument, {}, { authorization });
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ whoami: null });
    },
  );

  it('never sends a stack trace, database text or a library message', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) {
      expect(body).not.toMatch(/\bat .+:\d+:\d+|stack|mongo|jsonwebtoken|jwt malformed|signature|CastError/i);
      expect(body).not.toContain('demo-password');
      expect(body).not.toContain('wrong-password');
    }
  });
});
