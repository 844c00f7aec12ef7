import { randomBytes } from 'node:crypto';
import {
  createScryptPasswordHasher,
  createUser,
  insecureTestScryptOptions,
  messages,
} from 'pothos-plugin-simple-jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MeDocument,
  TokenObtainPairDocument,
  TokenObtainSlidingDocument,
  TokenRefreshSlidingDocument,
  TypedDocumentString,
} from '../../examples/generated/graphql.js';
import { createSlidingTokensExample } from '../../examples/sliding-tokens/app.js';
import { connectFreshDatabase } from '../support/database.js';
import { firstError, type GraphQLResponse, graphqlClient } from '../support/graphql-client.js';
import { testClock } from '../support/token-fixture.js';

const LogoutDocument = new TypedDocumentString<{ logout: boolean }, Record<string, never>>(
  'mutation Logout { logout }',
);

const clock = testClock(Math.floor(Date.now() / 1000));
const connection = await connectFreshDatabase('sliding');
const { yoga, jwt, User } = createSlidingTokensExample({
  connection,
  settings: { signingKey: randomBytes(64), slidingTokenLifetime: '5m', slidingTokenRefreshLifetime: '1d' },
  passwordHasher: createScryptPasswordHasher(insecureTestScryptOptions),
  now: clock,
});
const execute = graphqlClient(async (url, init) => yoga.fetch(url, init), 'http://localhost/graphql');
const credentials = { username: 'sam', password: 'sam-password' };
let userId: string;

beforeAll(async () => {
  userId = String((await createUser(User, credentials, jwt.passwordHasher))._id);
});

async function obtainSliding(): Promise<string> {
  const response = await execute(TokenObtainSlidingDocument, credentials);
  const token = response.data?.tokenObtainSliding?.token;
  if (!token) throw new Error(`no sliding token: ${response.body}`);
  return token;
}

function rejection(response: GraphQLResponse<unknown>) {
  const messagesSent = response.errors?.[0]?.extensions?.['messages'] as { message: string }[] | undefined;
  return { status: response.status, ...firstError(response), reason: messagesSent?.[0]?.message };
}

describe('the sliding-tokens example', () => {
  it('authenticates `me` with a sliding token', async () => {
    const me = await execute(MeDocument, {}, { token: await obtainSliding() });
    expect(me.data?.me).toEqual({ id: userId, username: 'sam', isStaff: false });
  });

  it('refreshes a sliding token: same jti and refresh deadline, exp moved on', async () => {
    const token = await obtainSliding();
    clock.advance(60);
    const refreshed = await execute(TokenRefreshSlidingDocument, { token });
    const slid = refreshed.data?.tokenRefreshSliding?.token ?? '';
    const [before, after] = await Promise.all(
      [token, slid].map((t) => jwt.tokens.SlidingToken.fromString(t)),
    );
    expect(after?.get('jti')).toBe(before?.get('jti'));
    expect(after?.get('refresh_exp')).toBe(before?.get('refresh_exp'));
    expect(after?.get('exp')).toBe(Number(before?.get('exp')) + 60);
    const me = await execute(MeDocument, {}, { token: slid });
    expect(me.data?.me?.id).toBe(userId);
  });

  it('accepts no access token: only sliding tokens authenticate', async () => {
    const pair = await execute(TokenObtainPairDocument, credentials);
    const me = await execute(MeDocument, {}, { token: pair.data?.tokenObtainPair?.access ?? '' });
    expect(rejection(me)).toMatchObject({
      status: 401,
      code: 'TOKEN_NOT_VALID',
      message: messages.notValidForAnyType,
      reason: messages.tokenHasWrongType,
    });
  });

  it('logs out: every copy of the token is then rejected as blacklisted', async () => {
    const token = await obtainSliding();
    clock.advance(1);
    const slid =
      (await execute(TokenRefreshSlidingDocument, { token })).data?.tokenRefreshSliding?.token ?? '';
    const jti = String((await jwt.tokens.SlidingToken.fromString(token)).get('jti'));
    expect(await jwt.store?.isBlacklisted(jti)).toBe(false);

    const logout = await execute(LogoutDocument, {}, { token: slid });
    expect(logout.data).toEqual({ logout: true });
    expect(await jwt.store?.isBlacklisted(jti)).toBe(true);

    for (const copy of [token, slid]) {
      const me = await execute(MeDocument, {}, { token: copy });
      expect(rejection(me)).toMatchObject({
        status: 401,
        code: 'TOKEN_NOT_VALID',
        reason: messages.tokenBlacklisted,
      });
      const refreshed = await execute(TokenRefreshSlidingDocument, { token: copy });
      expect(firstError(refreshed)).toMatchObject({
        code: 'TOKEN_NOT_VALID',
        message: messages.tokenBlacklisted,
      });
    }
  });

  it('leaves other sessions logged in', async () => {
    const [first, second] = [await obtainSliding(), await obtainSliding()];
    expect((await execute(LogoutDocument, {}, { token: first })).data).toEqual({ logout: true });
    const me = await execute(MeDocument, {}, { token: second });
    expect(me.data?.me?.id).toBe(userId);
  });

  it('needs a token to log out', async () => {
    const logout = await execute(LogoutDocument, {});
    expect(firstError(logout)).toMatchObject({ code: 'UNAUTHENTICATED', path: ['logout'] });
  });
});
