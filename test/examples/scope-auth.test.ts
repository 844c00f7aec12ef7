import { randomBytes } from 'node:crypto';
import {
  createScryptPasswordHasher,
  createUser,
  insecureTestScryptOptions,
  messages,
} from 'pothos-plugin-simple-jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import { TokenObtainPairDocument, TypedDocumentString } from '../../examples/generated/graphql.js';
import { createScopeAuthExample } from '../../examples/scope-auth/app.js';
import { connectFreshDatabase } from '../support/database.js';
import { firstError, type GraphQLResponse, graphqlClient } from '../support/graphql-client.js';

const MeDocument = new TypedDocumentString<{ me: { username: string } | null }, Record<string, never>>(
  'query Me { me { username } }',
);
const UserCountDocument = new TypedDocumentString<{ userCount: number | null }, Record<string, never>>(
  'query UserCount { userCount }',
);

const connection = await connectFreshDatabase('scope_auth');
const { yoga, jwt, User } = createScopeAuthExample({
  connection,
  settings: { signingKey: randomBytes(64) },
  passwordHasher: createScryptPasswordHasher(insecureTestScryptOptions),
});
const execute = graphqlClient(async (url, init) => yoga.fetch(url, init), 'http://localhost/graphql');
const tokens: Record<'anonymous' | 'user' | 'staff', string | undefined> = {
  anonymous: undefined,
  user: undefined,
  staff: undefined,
};

beforeAll(async () => {
  for (const [username, isStaff] of [
    ['user', false],
    ['staff', true],
  ] as const) {
    await createUser(User, { username, password: `${username}-password`, isStaff }, jwt.passwordHasher);
    const pair = await execute(TokenObtainPairDocument, { username, password: `${username}-password` });
    tokens[username] = pair.data?.tokenObtainPair?.access;
    expect(tokens[username]).toEqual(expect.any(String));
  }
});

const errorOf = (response: GraphQLResponse<unknown>) => (response.errors ? firstError(response) : undefined);
const unauthenticated = { code: 'UNAUTHENTICATED', message: messages.authenticationRequired };
const forbidden = { code: 'FORBIDDEN', message: 'You do not have permission to perform this action.' };

describe('scope-auth scopes fed from ctx.user', () => {
  it.each([
    { caller: 'anonymous', me: null, meError: unauthenticated, count: null, countError: unauthenticated },
    { caller: 'user', me: { username: 'user' }, meError: undefined, count: null, countError: forbidden },
    { caller: 'staff', me: { username: 'staff' }, meError: undefined, count: 2, countError: undefined },
  ] as const)('$caller: me $me, userCount $count', async ({ caller, me, meError, count, countError }) => {
    const token = tokens[caller];
    const options = token === undefined ? {} : { token };
    const meResponse = await execute(MeDocument, {}, options);
    expect(meResponse.data).toEqual({ me });
    expect(errorOf(meResponse)).toEqual(meError && { ...meError, path: ['me'] });

    const countResponse = await execute(UserCountDocument, {}, options);
    expect(countResponse.data).toEqual({ userCount: count });
    expect(errorOf(countResponse)).toEqual(countError && { ...countError, path: ['userCount'] });
  });

  it('answers with the status of the failed check: 401 anonymous, 403 without the scope', async () => {
    expect((await execute(UserCountDocument, {})).status).toBe(401);
    expect((await execute(UserCountDocument, {}, { token: tokens.user ?? '' })).status).toBe(403);
    expect((await execute(UserCountDocument, {}, { token: tokens.staff ?? '' })).status).toBe(200);
  });
});
