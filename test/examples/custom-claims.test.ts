import { randomBytes } from 'node:crypto';
import {
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  insecureTestScryptOptions,
} from 'pothos-plugin-simple-jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCustomClaimsExample } from '../../examples/custom-claims/app.js';
import {
  TokenObtainPairDocument,
  TokenObtainSlidingDocument,
  TokenRefreshDocument,
  TypedDocumentString,
} from '../../examples/generated/graphql.js';
import { connectFreshDatabase } from '../support/database.js';
import { firstError, graphqlClient } from '../support/graphql-client.js';

const TokenProfileDocument = new TypedDocumentString<
  { tokenProfile: { id: string; username: string; isStaff: boolean } | null },
  Record<string, never>
>('query TokenProfile { tokenProfile { id username isStaff } }');

const signingKey = randomBytes(64);
const connection = await connectFreshDatabase('custom_claims');
const { yoga, jwt, User } = createCustomClaimsExample({
  connection,
  settings: { signingKey, rotateRefreshTokens: true, authTokenClasses: ['access', 'sliding'] },
  passwordHasher: createScryptPasswordHasher(insecureTestScryptOptions),
});
const execute = graphqlClient(async (url, init) => yoga.fetch(url, init), 'http://localhost/graphql');
const users = [
  { username: 'staff-member', isStaff: true },
  { username: 'regular', isStaff: false },
] as const;

beforeAll(async () => {
  for (const { username, isStaff } of users) {
    await createUser(User, { username, password: `${username}-password`, isStaff }, jwt.passwordHasher);
  }
});

async function obtainPair(username: string) {
  const response = await execute(TokenObtainPairDocument, { username, password: `${username}-password` });
  const pair = response.data?.tokenObtainPair;
  if (!pair) throw new Error(`no pair: ${response.body}`);
  return pair;
}

describe.each(users)('custom claims for $username', ({ username, isStaff }) => {
  it('are in the refresh token and in its access token', async () => {
    const pair = await obtainPair(username);
    const refresh = await jwt.tokens.RefreshToken.fromString(pair.refresh);
    const access = await jwt.tokens.AccessToken.fromString(pair.access);
    for (const token of [refresh, access]) {
      expect(token.get('username')).toBe(username);
      expect(token.get('is_staff')).toBe(isStaff);
    }
  });

  it('carry over to the access and refresh tokens of a refresh', async () => {
    const refreshed = await execute(TokenRefreshDocument, { refresh: (await obtainPair(username)).refresh });
    const { access, refresh } = refreshed.data?.tokenRefresh ?? {};
    expect(refresh).toEqual(expect.any(String));
    for (const token of [
      await jwt.tokens.AccessToken.fromString(access ?? ''),
      await jwt.tokens.RefreshToken.fromString(refresh ?? ''),
    ]) {
      expect(token.get('username')).toBe(username);
      expect(token.get('is_staff')).toBe(isStaff);
    }
  });

  it('are in a sliding token', async () => {
    const obtained = await execute(TokenObtainSlidingDocument, {
      username,
      password: `${username}-password`,
    });
    const sliding = await jwt.tokens.SlidingToken.fromString(obtained.data?.tokenObtainSliding?.token ?? '');
    expect(sliding.get('username')).toBe(username);
    expect(sliding.get('is_staff')).toBe(isStaff);
  });

  it('are what a stateless service sees on its TokenUser, with no user model', async () => {
    const stateless = createSimpleJwt({ settings: { signingKey } });
    const { access } = await obtainPair(username);
    const { user, tokenUser } = await stateless.authenticate({ authorization: `Bearer ${access}` });
    expect(user).toBeNull();
    expect(tokenUser?.username).toBe(username);
    expect(tokenUser?.isStaff).toBe(isStaff);
  });
});

describe('the tokenProfile query', () => {
  it('reads the claims, not the database: a change shows only in new tokens', async () => {
    const before = await obtainPair('regular');
    const user = await User.findOne({ username: { $eq: 'regular' } }).orFail();
    await User.updateOne({ _id: user._id }, { $set: { isStaff: true } });
    const after = await obtainPair('regular');

    const oldProfile = await execute(TokenProfileDocument, {}, { token: before.access });
    const newProfile = await execute(TokenProfileDocument, {}, { token: after.access });
    expect(oldProfile.data?.tokenProfile).toEqual({
      id: String(user._id),
      username: 'regular',
      isStaff: false,
    });
    expect(newProfile.data?.tokenProfile).toEqual({
      id: String(user._id),
      username: 'regular',
      isStaff: true,
    });
    await User.updateOne({ _id: user._id }, { $set: { isStaff: false } });
  });

  it('needs a token', async () => {
    const anonymous = await execute(TokenProfileDocument, {});
    expect(firstError(anonymous)).toMatchObject({ code: 'UNAUTHENTICATED', path: ['tokenProfile'] });
  });
});
