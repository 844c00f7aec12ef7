import { randomBytes } from 'node:crypto';
import { startStandaloneServer } from '@apollo/server/standalone';
import {
  createScryptPasswordHasher,
  createUser,
  insecureTestScryptOptions,
  messages,
} from 'pothos-plugin-simple-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApolloExample } from '../../examples/apollo/app.js';
import {
  MeDocument,
  TokenBlacklistDocument,
  TokenObtainPairDocument,
  TokenObtainSlidingDocument,
  TokenRefreshDocument,
  TokenRefreshSlidingDocument,
  TokenVerifyDocument,
} from '../../examples/generated/graphql.js';
import { connectFreshDatabase } from '../support/database.js';
import { firstError, type GraphQLResponse, graphqlClient } from '../support/graphql-client.js';

const connection = await connectFreshDatabase('apollo');
const { server, jwt, User } = createApolloExample({
  connection,
  settings: {
    signingKey: randomBytes(64),
    rotateRefreshTokens: true,
    blacklistAfterRotation: true,
    authTokenClasses: ['access', 'sliding'],
  },
  passwordHasher: createScryptPasswordHasher(insecureTestScryptOptions),
});

const bodies: string[] = [];
let execute: ReturnType<typeof graphqlClient>;
let userId: string;

// Every response body is kept, so the last test can check that none leaks internals.
async function run<T>(response: Promise<GraphQLResponse<T>>): Promise<GraphQLResponse<T>> {
  const result = await response;
  bodies.push(result.body);
  return result;
}

function tokenMessages(response: GraphQLResponse<unknown>) {
  return response.errors?.[0]?.extensions?.['messages'] as { message: string }[] | undefined;
}

async function obtainPair(password = 'alice-password') {
  return run(execute(TokenObtainPairDocument, { username: 'alice', password }));
}

beforeAll(async () => {
  const user = await createUser(User, { username: 'alice', password: 'alice-password' }, jwt.passwordHasher);
  userId = String(user._id);
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: jwt.apolloContext,
  });
  expect(new URL(url).hostname).toBe('127.0.0.1');
  execute = graphqlClient(fetch, url);
});

afterAll(async () => {
  await server.stop();
});

describe('the Apollo example over HTTP', () => {
  it('obtains a pair, and `me` answers with the access token', async () => {
    const pair = await obtainPair();
    expect(pair.status).toBe(200);
    const { access, refresh } = pair.data?.tokenObtainPair ?? {};
    expect(access).toEqual(expect.any(String));
    expect(refresh).toEqual(expect.any(String));
    const me = await run(execute(MeDocument, {}, { token: access }));
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toEqual({ id: userId, username: 'alice', isStaff: false });
  });

  it('rotates the refresh token and then rejects the old one as blacklisted', async () => {
    const refresh = (await obtainPair()).data?.tokenObtainPair?.refresh ?? '';
    const rotated = await run(execute(TokenRefreshDocument, { refresh }));
    expect(rotated.errors).toBeUndefined();
    expect(rotated.data?.tokenRefresh?.refresh).toEqual(expect.any(String));
    expect(rotated.data?.tokenRefresh?.refresh).not.toBe(refresh);
    const me = await run(execute(MeDocument, {}, { token: rotated.data?.tokenRefresh?.access }));
    expect(me.data?.me?.username).toBe('alice');

    const again = await run(execute(TokenRefreshDocument, { refresh }));
    expect(again.status).toBe(401);
    expect(firstError(again)).toMatchObject({ code: 'TOKEN_NOT_VALID', message: messages.tokenBlacklisted });
  });

  it('verifies a token, and blacklists a refresh token for good', async () => {
    const { access, refresh } = (await obtainPair()).data?.tokenObtainPair ?? { access: '', refresh: '' };
    const verified = await run(execute(TokenVerifyDocument, { token: access }));
    expect(verified.data?.tokenVerify).toEqual({ valid: true });

    const blacklisted = await run(execute(TokenBlacklistDocument, { refresh }));
    expect(blacklisted.data?.tokenBlacklist).toEqual({ blacklisted: true });
    const refreshed = await run(execute(TokenRefreshDocument, { refresh }));
    expect(firstError(refreshed)).toMatchObject({
      code: 'TOKEN_NOT_VALID',
      message: messages.tokenBlacklisted,
    });
  });

  it('obtains and refreshes a sliding token, which authenticates `me`', async () => {
    const obtained = await run(
      execute(TokenObtainSlidingDocument, { username: 'alice', password: 'alice-password' }),
    );
    const token = obtained.data?.tokenObtainSliding?.token ?? '';
    const refreshed = await run(execute(TokenRefreshSlidingDocument, { token }));
    expect(refreshed.errors).toBeUndefined();
    const slid = refreshed.data?.tokenRefreshSliding?.token ?? '';
    const [before, after] = await Promise.all(
      [token, slid].map((t) => jwt.tokens.SlidingToken.fromString(t)),
    );
    expect(after?.get('jti')).toBe(before?.get('jti'));
    const me = await run(execute(MeDocument, {}, { token: slid }));
    expect(me.data?.me?.id).toBe(userId);
  });

  it('rejects a refresh token sent as a bearer token: HTTP 401 with the challenge', async () => {
    const refresh = (await obtainPair()).data?.tokenObtainPair?.refresh ?? '';
    const me = await run(execute(MeDocument, {}, { token: refresh }));
    expect(me.status).toBe(401);
    expect(me.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    // Apollo prefixes "Context creation failed: " only to errors that are not GraphQLErrors.
    expect(firstError(me)).toMatchObject({ code: 'TOKEN_NOT_VALID', message: messages.notValidForAnyType });
    expect(tokenMessages(me)).toEqual([
      { tokenClass: 'AccessToken', tokenType: 'access', message: messages.tokenHasWrongType },
      { tokenClass: 'SlidingToken', tokenType: 'sliding', message: messages.tokenHasWrongType },
    ]);
    expect(me.data).toBeUndefined();
  });

  it('answers a wrong password with NO_ACTIVE_ACCOUNT and HTTP 401', async () => {
    const pair = await obtainPair('wrong-password');
    expect(pair.status).toBe(401);
    expect(firstError(pair)).toMatchObject({ code: 'NO_ACTIVE_ACCOUNT', message: messages.noActiveAccount });
    expect(pair.data).toEqual({ tokenObtainPair: null });
  });

  it('answers `me` without a token with UNAUTHENTICATED', async () => {
    const me = await run(execute(MeDocument, {}));
    expect(firstError(me)).toMatchObject({ code: 'UNAUTHENTICATED', path: ['me'] });
    expect(me.status).toBe(401);
    expect(me.data).toEqual({ me: null });
  });

  it('never sends a stack trace or database text', () => {
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) {
      expect(body).not.toContain('stacktrace');
      expect(body).not.toContain('    at ');
      expect(body).not.toContain('Mongo');
    }
  });
});
