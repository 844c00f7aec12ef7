import SchemaBuilder from '@pothos/core';
import { execute, isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import SimpleJwtPlugin, {
  AuthenticationFailedError,
  createSimpleJwt,
  createUser,
  createUserModel,
  type SimpleJwtContext,
  type UserDocument,
} from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { firstError, type GraphQLResponse } from '../support/graphql-client.js';
import { passwordHasher, pluginBuilder, readyModelJwt, yogaRunner } from './plugin-fixture.js';

const connection = await connectFreshDatabase('plugin_auth');
const ada = await createUser(
  createUserModel(connection),
  { username: 'ada', password: 'pw-ada' },
  passwordHasher,
);
const jwt = readyModelJwt(connection);
const publicResolver = () => 'hello';
let protectedMutationRuns = 0;

const builder = pluginBuilder(jwt);
const Profile = builder.objectRef<UserDocument>('Profile').implement({
  fields: (t) => ({
    username: t.exposeString('username'),
    isStaff: t.exposeBoolean('isStaff', { authRequired: true }),
  }),
});
builder.queryType({
  fields: (t) => ({
    public: t.string({ resolve: publicResolver }),
    optedOut: t.string({ authRequired: false, resolve: () => 'open' }),
    secret: t.string({
      authRequired: true,
      resolve: (_root, _args, context) => `for ${context.user?.username}`,
    }),
    profile: t.field({ type: Profile, resolve: () => ada }),
  }),
});
builder.mutationType({
  fields: (t) => ({
    touch: t.int({
      authRequired: true,
      resolve: () => {
        protectedMutationRuns++;
        return protectedMutationRuns;
      },
    }),
  }),
});
const schema = builder.toSchema();
const run = yogaRunner(schema, jwt);
const access = (await jwt.obtainTokenPair({ username: 'ada', password: 'pw-ada' })).access;

function expectUnauthenticated<T>(response: GraphQLResponse<T>, path: string[]) {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
  expect(firstError(response)).toEqual({
    code: 'UNAUTHENTICATED',
    message: 'Authentication credentials were not provided.',
    path,
  });
}

describe('the authRequired field option', () => {
  it('fails a protected field without a user: UNAUTHENTICATED, HTTP 401', async () => {
    const response = await run('{ secret }');
    expectUnauthenticated(response, ['secret']);
    expect(response.data).toEqual({ secret: null });
  });

  it('resolves a protected field with an authenticated user', async () => {
    const response = await run('{ secret }', {}, { token: access });
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ secret: 'for ada' });
  });

  it('protects fields of object types too', async () => {
    const anonymous = await run('{ profile { username isStaff } }');
    expectUnauthenticated(anonymous, ['profile', 'isStaff']);
    expect(anonymous.data).toEqual({ profile: { username: 'ada', isStaff: null } });
    const known = await run('{ profile { username isStaff } }', {}, { token: access });
    expect(known.data).toEqual({ profile: { username: 'ada', isStaff: false } });
  });

  it('runs no protected mutation resolver without a user', async () => {
    const before = protectedMutationRuns;
    expectUnauthenticated(await run('mutation { touch }'), ['touch']);
    expect(protectedMutationRuns).toBe(before);
    const known = await run<{ touch: number }>('mutation { touch }', {}, { token: access });
    expect(known.data).toEqual({ touch: before + 1 });
  });

  it.each([
    ['public', 'hello'],
    ['optedOut', 'open'],
  ])('leaves the unprotected field %s to anonymous requests', async (field, value) => {
    const response = await run(`{ ${field} }`);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ [field]: value });
  });

  it("keeps an unprotected field's resolver as the user wrote it", () => {
    const query = schema.getQueryType();
    expect(isObjectType(query)).toBe(true);
    expect(query?.getFields()['public']?.resolve).toBe(publicResolver);
    expect(query?.getFields()['secret']?.resolve).not.toBe(publicResolver);
  });

  it('still answers the unprotected fields of a request that also asks for a protected one', async () => {
    const response = await run('{ public secret }');
    expect(response.data).toEqual({ public: 'hello', secret: null });
    expect(firstError(response)).toMatchObject({ code: 'UNAUTHENTICATED', path: ['secret'] });
  });

  it('accepts the stateless token user of a service without a user model', async () => {
    const issuer = readyModelJwt(connection, { connection: undefined });
    const stateless = createSimpleJwt<UserDocument>({ settings: { signingKey: issuer.settings.signingKey } });
    const statelessBuilder = new SchemaBuilder<{ Context: SimpleJwtContext<UserDocument> }>({
      plugins: [SimpleJwtPlugin],
      simpleJwt: { jwt: stateless, mutations: { tokenObtainPair: false } },
    });
    statelessBuilder.queryType({
      fields: (t) => ({
        userId: t.string({ authRequired: true, resolve: (_root, _args, context) => context.tokenUser?.id }),
      }),
    });
    const runStateless = yogaRunner(statelessBuilder.toSchema(), stateless);
    const token = (await issuer.obtainTokenPair({ username: 'ada', password: 'pw-ada' })).access;
    expect((await runStateless('{ userId }', {}, { token })).data).toEqual({ userId: String(ada._id) });
    expectUnauthenticated(await runStateless('{ userId }'), ['userId']);
    // A token signed with another key is a hard 401, never anonymous.
    const foreign = await readyModelJwt(connection).tokens.AccessToken.forUser(ada);
    const rejected = await runStateless('{ userId }', {}, { token: String(foreign) });
    expect(rejected.status).toBe(401);
    expect(firstError(rejected).code).toBe('TOKEN_NOT_VALID');
  });

  it('throws an error already located, so the executor sends it as thrown: not wrapped, no stack frames', async () => {
    const result = await execute({
      schema,
      document: parse('{ public secret }'),
      contextValue: { user: null, tokenUser: null, token: null },
    });
    const [error] = result.errors ?? [];
    // graphql-js wraps anything not located yet in a new GraphQLError whose originalError is the thrown one.
    expect(error).toBeInstanceOf(AuthenticationFailedError);
    expect(error?.originalError).toBeUndefined();
    expect(error?.path).toEqual(['secret']);
    expect(error?.locations).toEqual([{ line: 1, column: 10 }]);
    expect(error?.stack).not.toMatch(/\n\s+at /);
  });
});
