import { describe, expect, it } from 'vitest';
import { fieldNames, pluginBuilder, readyModelJwt } from '../plugin/plugin-fixture.js';
import { connectFreshDatabase } from '../support/database.js';

const connection = await connectFreshDatabase('session_names');

function schemaWith(options: Parameters<typeof pluginBuilder>[0]) {
  const builder = pluginBuilder(options);
  builder.queryType({ fields: (t) => ({ ok: t.boolean({ resolve: () => true }) }) });
  return builder.toSchema();
}

describe('the session fields in the schema', () => {
  it('are added with token families, beside the token mutations', () => {
    const schema = schemaWith(readyModelJwt(connection, { familyStore: undefined }));
    expect(fieldNames(schema, 'Query')).toEqual(['ok', 'tokenSessions']);
    expect(fieldNames(schema, 'Mutation')).toEqual([
      'tokenBlacklist',
      'tokenObtainPair',
      'tokenRefresh',
      'tokenRevokeAllSessions',
      'tokenRevokeSession',
      'tokenVerify',
    ]);
  });

  it('are renamable and removable like the token mutations', () => {
    const jwt = readyModelJwt(connection, { familyStore: undefined });
    const schema = schemaWith({
      jwt,
      mutations: {
        tokenSessions: 'mySessions',
        tokenRevokeSession: false,
        tokenRevokeAllSessions: 'logoutEverywhere',
      },
    });
    expect(fieldNames(schema, 'Query')).toEqual(['mySessions', 'ok']);
    expect(fieldNames(schema, 'Mutation')).toContain('logoutEverywhere');
    expect(fieldNames(schema, 'Mutation')).not.toContain('tokenRevokeSession');
  });

  it('are absent without token families', () => {
    const schema = schemaWith(readyModelJwt(connection));
    expect(fieldNames(schema, 'Query')).toEqual(['ok']);
    expect(fieldNames(schema, 'Mutation')).not.toContain('tokenRevokeAllSessions');
  });
});
