import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import {
  createScryptPasswordHasher,
  createUser,
  insecureTestScryptOptions,
  type SimpleJwtSettings,
} from 'pothos-plugin-simple-jwt';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MeDocument,
  TokenBlacklistDocument,
  TokenObtainPairDocument,
  TokenRefreshDocument,
  TokenVerifyDocument,
} from '../../examples/generated/graphql.js';
import { createExampleApp } from '../../examples/yoga/app.js';
import type { MongoTokenFamilyStore } from '../../src/store/mongo-family-store.js';
import { createMongoTokenStore, type MongoTokenStore } from '../../src/store/mongo-token-store.js';
import { type CommandStep, commandRecorder } from '../support/command-steps.js';
import { freshDatabaseUri } from '../support/database.js';
import { graphqlClient } from '../support/graphql-client.js';
import { testClock, y2k } from '../support/token-fixture.js';
import { tokenRecord } from './store-fixtures.js';

// The round-trip budget of each token operation, counted from the driver's command monitoring on
// the real database. Index creation happens once per store (`ready()`), before any of this.

const connections: Connection[] = [];
afterAll(async () => {
  for (const connection of connections) {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
});

async function monitoredConnection(): Promise<Connection> {
  const connection = await mongoose
    .createConnection(freshDatabaseUri('trips'), { monitorCommands: true })
    .asPromise();
  connections.push(connection);
  return connection;
}

const credentials = { username: 'ada', password: 'ada-password' };
const passwordHasher = createScryptPasswordHasher(insecureTestScryptOptions);
const url = 'http://localhost/graphql';

/**
 * The example Yoga server on a monitored connection, its indexes made and a user in place. Token
 * families are off unless the settings turn them on: the budgets below are the package's without
 * sessions; those with sessions follow them.
 */
async function exampleServer(settings: SimpleJwtSettings = {}) {
  const connection = await monitoredConnection();
  const { yoga, jwt, User } = createExampleApp({
    connection,
    settings: { signingKey: randomBytes(64), familyClaim: null, ...settings },
    passwordHasher,
    now: settings.familyClaim ? clock : undefined,
  });
  // The one-time set-up, outside every measurement: the store's and the user model's indexes.
  await Promise.all([
    (jwt.store as MongoTokenStore).ready(),
    User.init(),
    (jwt.families as MongoTokenFamilyStore | null)?.ready(),
  ]);
  await createUser(User, credentials, passwordHasher);
  const execute = graphqlClient(async (input, init) => yoga.fetch(input, init), url);
  const login = async () => {
    const response = await execute(TokenObtainPairDocument, credentials);
    if (!response.data?.tokenObtainPair) throw new Error(response.body);
    return response.data.tokenObtainPair;
  };
  return { execute, login, jwt, stepsDuring: commandRecorder(connection) };
}

// Sessions tests move this clock (the last-used time is written at most once a minute).
const clock = testClock(y2k);

/** All the commands of some steps, in one sorted list. */
const commandsOf = (steps: CommandStep[]) => steps.flat().sort();

describe('round trips of each token operation', () => {
  it('tokenVerify with the blacklist on: 1 command, a point lookup of the blacklist', async () => {
    const server = await exampleServer();
    const { refresh } = await server.login();
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(TokenVerifyDocument, { token: refresh });
      expect(response.data).toEqual({ tokenVerify: { valid: true } });
    });
    expect(steps).toEqual([['find blacklisted_tokens']]);
  });

  it('tokenRefresh without rotation: 1 step, the blacklist and user reads in parallel', async () => {
    const server = await exampleServer();
    const { refresh } = await server.login();
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(TokenRefreshDocument, { refresh });
      expect(response.data?.tokenRefresh?.access).toEqual(expect.any(String));
    });
    expect(steps).toEqual([['find blacklisted_tokens', 'find users']]);
  });

  it('tokenRefresh with a changed password (checkRevokeToken): the blacklist write only after both reads', async () => {
    const server = await exampleServer({ checkRevokeToken: true });
    const { refresh } = await server.login();
    const connection = connections.at(-1) as Connection;
    await connection.collection('users').updateOne({ username: 'ada' }, { $set: { password: 'changed' } });
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(TokenRefreshDocument, { refresh });
      expect(response.errors?.[0]?.extensions?.['code']).toBe('PASSWORD_CHANGED');
    });
    expect(steps).toEqual([
      ['find blacklisted_tokens', 'find users'],
      ['insert blacklisted_tokens', 'insert outstanding_tokens'],
    ]);
  });

  it('tokenRefresh with rotation and blacklistAfterRotation: 2 steps, no blacklist read on success', async () => {
    const server = await exampleServer({ rotateRefreshTokens: true, blacklistAfterRotation: true });
    const { refresh } = await server.login();
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(TokenRefreshDocument, { refresh });
      expect(response.data?.tokenRefresh?.refresh).toEqual(expect.any(String));
    });
    expect(steps).toEqual([
      ['find users'],
      // The old token's blacklist insert (and its get-or-create record), and the new token's record.
      ['insert blacklisted_tokens', 'insert outstanding_tokens', 'insert outstanding_tokens'],
    ]);
    expect(commandsOf(steps)).not.toContain('find blacklisted_tokens');
  });

  it('tokenRefresh with rotation of a token already rotated: "Token is blacklisted" from the insert', async () => {
    const server = await exampleServer({ rotateRefreshTokens: true, blacklistAfterRotation: true });
    const { refresh } = await server.login();
    await server.execute(TokenRefreshDocument, { refresh });
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(TokenRefreshDocument, { refresh });
      expect(response.errors?.[0]?.message).toBe('Token is blacklisted');
    });
    // The losing rotation deletes the record of the token it never hands out.
    expect(steps).toEqual([
      ['find users'],
      ['insert blacklisted_tokens', 'insert outstanding_tokens', 'insert outstanding_tokens'],
      ['delete outstanding_tokens'],
    ]);
  });

  it('the store blacklist(): 1 step, its two inserts in parallel', async () => {
    const connection = await monitoredConnection();
    const store = createMongoTokenStore(connection);
    await store.ready();
    const steps = await commandRecorder(connection)(() => store.blacklist(tokenRecord()));
    expect(steps).toEqual([['insert blacklisted_tokens', 'insert outstanding_tokens']]);
  });

  it('the tokenBlacklist mutation (logout): 1 step, the blacklist insert answers "already blacklisted"', async () => {
    const server = await exampleServer();
    const { refresh } = await server.login();
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(TokenBlacklistDocument, { refresh });
      expect(response.data).toEqual({ tokenBlacklist: { blacklisted: true } });
    });
    expect(steps).toEqual([['insert blacklisted_tokens', 'insert outstanding_tokens']]);
    const again = await server.stepsDuring(async () => {
      const response = await server.execute(TokenBlacklistDocument, { refresh });
      expect(response.errors?.[0]?.message).toBe('Token is blacklisted');
    });
    expect(again).toEqual([['insert blacklisted_tokens', 'insert outstanding_tokens']]);
  });
});

const rotation = { rotateRefreshTokens: true, blacklistAfterRotation: true, familyClaim: 'fam' } as const;

describe('round trips with token families (sessions, the default)', () => {
  it('tokenObtainPair: the family record is inserted in the same step as the token record', async () => {
    const server = await exampleServer(rotation);
    const steps = await server.stepsDuring(() => server.login());
    expect(steps).toEqual([['find users'], ['insert outstanding_tokens', 'insert token_families']]);
  });

  it('tokenVerify: still 1 step, the family read beside the blacklist lookup', async () => {
    const server = await exampleServer(rotation);
    const { refresh } = await server.login();
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(TokenVerifyDocument, { token: refresh });
      expect(response.data).toEqual({ tokenVerify: { valid: true } });
    });
    expect(steps).toEqual([['find blacklisted_tokens', 'find token_families']]);
  });

  it('tokenRefresh with rotation: still 2 steps, the family read beside the user read', async () => {
    const server = await exampleServer(rotation);
    const { refresh } = await server.login();
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(TokenRefreshDocument, { refresh });
      expect(response.data?.tokenRefresh?.refresh).toEqual(expect.any(String));
    });
    expect(steps).toEqual([
      ['find token_families', 'find users'],
      ['insert blacklisted_tokens', 'insert outstanding_tokens', 'insert outstanding_tokens'],
    ]);
  });

  it('tokenRefresh with rotation a minute after the last: the last-used update joins the second step', async () => {
    const server = await exampleServer(rotation);
    const { refresh } = await server.login();
    clock.advance(60);
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(TokenRefreshDocument, { refresh });
      expect(response.data?.tokenRefresh?.refresh).toEqual(expect.any(String));
    });
    expect(steps).toEqual([
      ['find token_families', 'find users'],
      [
        'insert blacklisted_tokens',
        'insert outstanding_tokens',
        'insert outstanding_tokens',
        'update token_families',
      ],
    ]);
  });

  it('reuse of a rotated-away token: the rotation lookup, then the revocation (the failure path only)', async () => {
    const server = await exampleServer(rotation);
    const { refresh } = await server.login();
    await server.execute(TokenRefreshDocument, { refresh });
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(TokenRefreshDocument, { refresh });
      expect(response.errors?.[0]?.extensions?.['reason']).toBe('REFRESH_TOKEN_REUSED');
    });
    expect(steps).toEqual([
      ['find token_families', 'find users'],
      ['insert blacklisted_tokens', 'insert outstanding_tokens', 'insert outstanding_tokens'],
      ['delete outstanding_tokens', 'find blacklisted_tokens'],
      ['update token_families'],
    ]);
  });

  it('an access token in database mode: the family read in the same step as the user read', async () => {
    const server = await exampleServer(rotation);
    const { access } = await server.login();
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(MeDocument, {}, { token: access });
      expect(response.data?.me?.username).toBe('ada');
    });
    expect(steps).toEqual([['find token_families', 'find users']]);
  });

  it('an access token without a family claim costs what it cost before: the user read only', async () => {
    const server = await exampleServer(rotation);
    const refresh = await server.jwt.tokens.RefreshToken.fromString((await server.login()).refresh);
    refresh.delete('fam');
    const access = refresh.accessToken.toString();
    const steps = await server.stepsDuring(async () => {
      const response = await server.execute(MeDocument, {}, { token: access });
      expect(response.data?.me?.username).toBe('ada');
    });
    expect(steps).toEqual([['find users']]);
  });
});
