import { describe, expect, it } from 'vitest';
import {
  createUser,
  createUserModel,
  type SimpleJwt,
  type SimpleJwtPluginOptions,
  type UserDocument,
} from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { segmentJson } from '../support/forge-jwt.js';
import { firstError } from '../support/graphql-client.js';
import { fieldNames, passwordHasher, pluginBuilder, readyModelJwt, yogaRunner } from './plugin-fixture.js';

// Two SimpleJwt instances with different settings, stores and mutation names, side by side in one
// process and on one connection: nothing may leak from one to the other.
const connection = await connectFreshDatabase('plugin_two');
const User = createUserModel(connection);
await createUser(User, { username: 'ada', password: 'pw-ada' }, passwordHasher);
await createUser(User, { username: 'bob', password: 'pw-bob' }, passwordHasher);

const first = readyModelJwt(connection);
const second = readyModelJwt(connection, {
  settings: {
    accessTokenLifetime: '1m',
    authHeaderTypes: ['JWT'],
    rotateRefreshTokens: true,
    blacklistAfterRotation: true,
  },
  tokenStore: { outstandingCollection: 'second_outstanding', blacklistedCollection: 'second_blacklisted' },
});

function serve(jwt: SimpleJwt<UserDocument>, options: SimpleJwtPluginOptions) {
  const builder = pluginBuilder(options);
  builder.queryType({
    fields: (t) => ({
      me: t.string({ authRequired: true, resolve: (_root, _args, context) => context.user?.username }),
      tokenType: t.string({
        nullable: true,
        resolve: (_root, _args, context) => String(context.token?.get('token_type') ?? ''),
      }),
    }),
  });
  const schema = builder.toSchema();
  return { schema, run: yogaRunner(schema, jwt) };
}

const one = serve(first, first);
const two = serve(second, { jwt: second, mutations: { tokenObtainPair: 'login', tokenRefresh: 'renew' } });

interface Pair {
  access: string;
  refresh: string;
}
async function firstPair(): Promise<Pair> {
  const response = await one.run<{ tokenObtainPair: Pair }>(
    'mutation { tokenObtainPair(username: "ada", password: "pw-ada") { access refresh } }',
  );
  return response.data?.tokenObtainPair ?? { access: '', refresh: '' };
}
async function secondPair(): Promise<Pair> {
  const response = await two.run<{ login: Pair }>(
    'mutation { login(username: "bob", password: "pw-bob") { access refresh } }',
  );
  return response.data?.login ?? { access: '', refresh: '' };
}
const count = (collection: string) => connection.collection(collection).countDocuments();

describe('two SimpleJwt instances in one process', () => {
  it('each schema has its own mutation names', () => {
    expect(fieldNames(one.schema, 'Mutation')).toEqual([
      'tokenBlacklist',
      'tokenObtainPair',
      'tokenRefresh',
      'tokenVerify',
    ]);
    expect(fieldNames(two.schema, 'Mutation')).toEqual(['login', 'renew', 'tokenBlacklist', 'tokenVerify']);
  });

  it('each issues tokens with its own lifetime into its own collections', async () => {
    const before = { first: await count('outstanding_tokens'), second: await count('second_outstanding') };
    const a = await firstPair();
    const b = await secondPair();
    // An access token's exp counts from its refresh token's creation (Simple JWT), so from that iat.
    const lifetime = ({ access, refresh }: Pair) =>
      (segmentJson(access, 1) as { exp: number }).exp - (segmentJson(refresh, 1) as { iat: number }).iat;
    expect(lifetime(a)).toBe(300);
    expect(lifetime(b)).toBe(60);
    expect(await count('outstanding_tokens')).toBe(before.first + 1);
    expect(await count('second_outstanding')).toBe(before.second + 1);
  });

  it("each authenticates with its own header type and refuses the other's tokens", async () => {
    const a = await firstPair();
    const b = await secondPair();
    expect((await one.run('{ me }', {}, { authorization: `Bearer ${a.access}` })).data).toEqual({
      me: 'ada',
    });
    expect((await two.run('{ me }', {}, { authorization: `JWT ${b.access}` })).data).toEqual({ me: 'bob' });

    const crossed = await two.run('{ me }', {}, { authorization: `JWT ${a.access}` });
    expect(crossed.status).toBe(401);
    expect(crossed.headers.get('www-authenticate')).toBe('JWT realm="api"');
    expect(firstError(crossed)).toMatchObject({ code: 'TOKEN_NOT_VALID' });
    const back = await one.run('{ me }', {}, { authorization: `Bearer ${b.access}` });
    expect(back.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(firstError(back)).toMatchObject({ code: 'TOKEN_NOT_VALID' });

    // The other instance's scheme is just another scheme: anonymous.
    const otherScheme = await two.run('{ me }', {}, { authorization: `Bearer ${b.access}` });
    expect(firstError(otherScheme)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('each refreshes by its own rotation settings and blacklists in its own store', async () => {
    const a = await firstPair();
    const b = await secondPair();
    const blacklistedBefore = {
      first: await count('blacklisted_tokens'),
      second: await count('second_blacklisted'),
    };

    const kept = await one.run<{ tokenRefresh: { refresh: string | null } }>(
      'mutation($refresh: String!) { tokenRefresh(refresh: $refresh) { refresh } }',
      { refresh: a.refresh },
    );
    expect(kept.data?.tokenRefresh.refresh).toBeNull();
    const rotated = await two.run<{ renew: { refresh: string | null } }>(
      'mutation($refresh: String!) { renew(refresh: $refresh) { refresh } }',
      { refresh: b.refresh },
    );
    expect(rotated.data?.renew.refresh).toEqual(expect.any(String));

    expect(await count('blacklisted_tokens')).toBe(blacklistedBefore.first);
    expect(await count('second_blacklisted')).toBe(blacklistedBefore.second + 1);
  });

  it('keeps interleaved concurrent requests apart', async () => {
    const a = await firstPair();
    const b = await secondPair();
    const requests = Array.from({ length: 20 }, (_, index) =>
      index % 2 === 0
        ? one.run('{ me tokenType }', {}, { authorization: `Bearer ${a.access}` })
        : two.run('{ me tokenType }', {}, { authorization: `JWT ${b.access}` }),
    );
    const responses = await Promise.all(requests);
    expect(responses.map((response) => response.data)).toEqual(
      Array.from({ length: 20 }, (_, index) => ({
        me: index % 2 === 0 ? 'ada' : 'bob',
        tokenType: 'access',
      })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
  });
});
