import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { createUser, createUserModel } from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { segmentJson } from '../support/forge-jwt.js';
import {
  fieldNames,
  passwordHasher,
  pluginBuilder,
  printed,
  readyModelJwt,
  yogaRunner,
} from './plugin-fixture.js';

const connection = await connectFreshDatabase('plugin_mutation');
await createUser(createUserModel(connection), { username: 'ada', password: 'pw-ada' }, passwordHasher);
const jwt = readyModelJwt(connection);
const defaultMutations = ['tokenBlacklist', 'tokenObtainPair', 'tokenRefresh', 'tokenVerify'];
const obtainPair = `mutation { tokenObtainPair(username: "ada", password: "pw-ada") { access refresh } }`;

function queryOnly(builder: ReturnType<typeof pluginBuilder>) {
  builder.queryType({ fields: (t) => ({ ok: t.boolean({ resolve: () => true }) }) });
  return builder;
}

describe('the Mutation type', () => {
  it('is created with the token mutations when the schema has none', async () => {
    const schema = queryOnly(pluginBuilder(jwt)).toSchema();
    expect(schema.getMutationType()?.name).toBe('Mutation');
    expect(fieldNames(schema, 'Mutation')).toEqual(defaultMutations);

    const response = await yogaRunner(schema, jwt)<{ tokenObtainPair: { access: string } }>(obtainPair);
    expect(response.errors).toBeUndefined();
    expect(segmentJson(response.data?.tokenObtainPair.access ?? '', 1)).toMatchObject({
      token_type: 'access',
    });
  });

  it("merges the token mutations into the user's own Mutation type", async () => {
    const builder = queryOnly(pluginBuilder(jwt));
    builder.mutationType({ fields: (t) => ({ ping: t.string({ resolve: () => 'pong' }) }) });
    const schema = builder.toSchema();
    expect(fieldNames(schema, 'Mutation')).toEqual([...defaultMutations, 'ping'].sort());

    const response = await yogaRunner(
      schema,
      jwt,
    )<{ ping: string; tokenObtainPair: { refresh: string } }>(
      `mutation { ping tokenObtainPair(username: "ada", password: "pw-ada") { refresh } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.ping).toBe('pong');
    expect(segmentJson(response.data?.tokenObtainPair.refresh ?? '', 1)).toMatchObject({
      token_type: 'refresh',
    });
  });

  it('adds them to a Mutation type the user named differently, and creates no second one', () => {
    const builder = queryOnly(pluginBuilder(jwt));
    builder.mutationType({
      name: 'RootMutation',
      fields: (t) => ({ ping: t.string({ resolve: () => 'pong' }) }),
    });
    const schema = builder.toSchema();
    expect(schema.getMutationType()?.name).toBe('RootMutation');
    expect(fieldNames(schema, 'RootMutation')).toEqual([...defaultMutations, 'ping'].sort());
    expect(schema.getType('Mutation')).toBeUndefined();
  });

  it('builds the same schema when toSchema() runs twice', () => {
    const builder = queryOnly(pluginBuilder(jwt));
    const first = printed(builder.toSchema());
    const second = printed(builder.toSchema());
    expect(second).toBe(first);
    expect(first.match(/type TokenObtainPairPayload/g)).toHaveLength(1);
    expect(first.match(/tokenObtainPair\(/g)).toHaveLength(1);
  });

  it('fails at build time when a user field takes a token mutation name', () => {
    const builder = queryOnly(pluginBuilder(jwt));
    builder.mutationType({ fields: (t) => ({ tokenVerify: t.string({ resolve: () => 'mine' }) }) });
    expect(() => builder.toSchema()).toThrow(/tokenVerify/);
  });
});

describe('mutation names', () => {
  it.each([
    [
      'renames one and disables another',
      { tokenRefresh: 'refreshToken', tokenVerify: false as const },
      ['refreshToken', 'tokenBlacklist', 'tokenObtainPair'],
    ],
    [
      'renames every mutation',
      { tokenObtainPair: 'login', tokenRefresh: 'refresh', tokenVerify: 'verify', tokenBlacklist: 'logout' },
      ['login', 'logout', 'refresh', 'verify'],
    ],
    ['disables the blacklist mutation', { tokenBlacklist: false as const }, defaultMutations.slice(1)],
  ])('%s', (_case, mutations, expected) => {
    const schema = queryOnly(pluginBuilder({ jwt, mutations })).toSchema();
    expect(fieldNames(schema, 'Mutation')).toEqual(expected);
  });

  it('serves a renamed mutation under its new name', async () => {
    const schema = queryOnly(
      pluginBuilder({ jwt, mutations: { tokenRefresh: 'refreshToken', tokenVerify: false } }),
    ).toSchema();
    const run = yogaRunner(schema, jwt);
    const pair = await run<{ tokenObtainPair: { refresh: string } }>(obtainPair);
    const refresh = pair.data?.tokenObtainPair.refresh ?? '';
    const refreshed = await run<{ refreshToken: { access: string; refresh: string | null } }>(
      'mutation($refresh: String!) { refreshToken(refresh: $refresh) { access refresh } }',
      { refresh },
    );
    expect(refreshed.errors).toBeUndefined();
    expect(segmentJson(refreshed.data?.refreshToken.access ?? '', 1)).toMatchObject({ token_type: 'access' });
    // No rotation configured: the payload's refresh is null.
    expect(refreshed.data?.refreshToken.refresh).toBeNull();

    const old = await run('mutation($token: String!) { tokenVerify(token: $token) { valid } }', {
      token: refresh,
    });
    expect(old.errors?.[0]?.message).toMatch(/Cannot query field "tokenVerify" on type "Mutation"/);
  });

  it('adds no Mutation type when every mutation is disabled and the user has none', () => {
    const mutations = {
      tokenObtainPair: false,
      tokenRefresh: false,
      tokenVerify: false,
      tokenBlacklist: false,
    } as const;
    const schema = queryOnly(pluginBuilder({ jwt, mutations })).toSchema();
    expect(schema.getMutationType()).toBeUndefined();
    expect(schema.getType('TokenObtainPairPayload')).toBeUndefined();
  });
});

describe('which mutations exist', () => {
  it('leaves tokenBlacklist out when the instance has no connection (blacklist off)', () => {
    const stateless = readyModelJwt(connection, { connection: undefined });
    expect(stateless.store).toBeNull();
    const schema = queryOnly(
      pluginBuilder({ jwt: stateless, mutations: { tokenBlacklist: 'logout' } }),
    ).toSchema();
    expect(fieldNames(schema, 'Mutation')).toEqual(['tokenObtainPair', 'tokenRefresh', 'tokenVerify']);
  });

  it.each([
    [['access'] as const, undefined, false],
    [['access'] as const, false, false],
    [['access', 'sliding'] as const, undefined, true],
    [['sliding'] as const, undefined, true],
    [['access'] as const, true, true],
  ])(
    'authTokenClasses %j with includeSliding %s: sliding mutations %s',
    (classes, includeSliding, present) => {
      const instance = readyModelJwt(mongoose.createConnection(), {
        settings: { authTokenClasses: classes },
      });
      const options = includeSliding === undefined ? instance : { jwt: instance, includeSliding };
      const names = fieldNames(queryOnly(pluginBuilder(options)).toSchema(), 'Mutation');
      const sliding = ['tokenObtainSliding', 'tokenRefreshSliding'];
      expect(names).toEqual([...defaultMutations, ...(present ? sliding : [])].sort());
    },
  );

  it('serves the sliding mutations added by includeSliding', async () => {
    const schema = queryOnly(
      pluginBuilder({ jwt, includeSliding: true, mutations: { tokenRefreshSliding: 'slide' } }),
    ).toSchema();
    expect(fieldNames(schema, 'Mutation')).toContain('slide');
    const response = await yogaRunner(
      schema,
      jwt,
    )<{ tokenObtainSliding: { token: string } }>(
      `mutation { tokenObtainSliding(username: "ada", password: "pw-ada") { token } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(segmentJson(response.data?.tokenObtainSliding.token ?? '', 1)).toMatchObject({
      token_type: 'sliding',
    });
  });
});

describe('a builder with the plugin but no simpleJwt option', () => {
  it('fails at build time with a message naming the option', async () => {
    const { default: SchemaBuilder } = await import('@pothos/core');
    const { default: SimpleJwtPlugin } = await import('pothos-plugin-simple-jwt');
    const builder = new SchemaBuilder({ plugins: [SimpleJwtPlugin] });
    builder.queryType({ fields: (t) => ({ ok: t.boolean({ resolve: () => true }) }) });
    expect(() => builder.toSchema()).toThrow(/needs the builder option `simpleJwt`/);
  });
});
