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
  TokenBlacklistDocument,
  TokenObtainPairDocument,
  TokenRefreshDocument,
  TokenVerifyDocument,
} from '../../examples/generated/graphql.js';
import { createExampleApp } from '../../examples/yoga/app.js';
import { createMongoTokenStore, type MongoTokenStore } from '../../src/store/mongo-token-store.js';
import { type CommandStep, commandRecorder } from '../support/command-steps.js';
import { freshDatabaseUri } from '../support/database.js';
import { graphqlClient } from '../support/graphql-client.js';
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

/** The example Yoga server on a monitored connection, its indexes made and a user in place. */
async function exampleServer(settings: SimpleJwtSettings = {}) {
  const connection = await monitoredConnection();
  const { yoga, jwt, User } = createExampleApp({
    connection,
    settings: { signingKey: randomBytes(64), ...settings },
    passwordHasher,
  });
  // The one-time set-up, outside every measurement: the store's and the user model's indexes.
  await Promise.all([(jwt.store as MongoTokenStore).ready(), User.init()]);
  await createUser(User, credentials, passwordHasher);
  const execute = graphqlClient(async (input, init) => yoga.fetch(input, init), url);
  const login = async () => {
    const response = await execute(TokenObtainPairDocument, credentials);
    if (!response.data?.tokenObtainPair) throw new Error(response.body);
    return response.data.tokenObtainPair;
  };
  return { execute, login, stepsDuring: commandRecorder(connection) };
}

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
