import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import {
  createScryptPasswordHasher,
  createUser,
  insecureTestScryptOptions,
  type SimpleJwtSettings,
} from 'pothos-plugin-simple-jwt';
import { afterAll } from 'vitest';
import {
  MeDocument,
  TokenObtainPairDocument,
  TokenRefreshDocument,
} from '../../examples/generated/graphql.js';
import { createExampleApp } from '../../examples/yoga/app.js';
import { freshDatabaseUri } from '../support/database.js';
import { type GraphQLResponse, graphqlClient } from '../support/graphql-client.js';
import { testClock, y2k } from '../support/token-fixture.js';

const connections: Connection[] = [];
afterAll(async () => {
  for (const connection of connections) {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
});

const passwordHasher = createScryptPasswordHasher(insecureTestScryptOptions);
export const credentials = { username: 'ada', password: 'ada-password' };
export const otherCredentials = { username: 'grace', password: 'grace-password' };
export const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) SessionTest/1.0';

/** The reason and message of a response's first error. */
export function failureOf(response: GraphQLResponse<unknown>) {
  const error = response.errors?.[0];
  return {
    code: error?.extensions?.['code'],
    reason: error?.extensions?.['reason'],
    message: error?.message,
  };
}

/**
 * The example Yoga server (`npm start`'s app) on a fresh database, with a clock fixed at
 * 2000-01-01 that tests move, two users, and a client that sends a `User-Agent`.
 */
export async function sessionServer(settings: SimpleJwtSettings = {}) {
  const connection = await mongoose.createConnection(freshDatabaseUri('sessions')).asPromise();
  connections.push(connection);
  const clock = testClock(y2k);
  const { yoga, jwt, User } = createExampleApp({
    connection,
    settings: {
      signingKey: randomBytes(64),
      rotateRefreshTokens: true,
      blacklistAfterRotation: true,
      ...settings,
    },
    passwordHasher,
    now: clock,
  });
  const [ada, grace] = await Promise.all([
    createUser(User, credentials, passwordHasher),
    createUser(User, otherCredentials, passwordHasher),
  ]);
  const execute = graphqlClient(
    async (url, init) => yoga.fetch(url, { ...init, headers: { ...init.headers, 'user-agent': userAgent } }),
    'http://localhost/graphql',
  );
  const login = async (as = credentials) => {
    const response = await execute(TokenObtainPairDocument, as);
    if (!response.data?.tokenObtainPair) throw new Error(response.body);
    return response.data.tokenObtainPair;
  };
  const refresh = (token: string) => execute(TokenRefreshDocument, { refresh: token });
  const me = (access: string) => execute(MeDocument, {}, { token: access });
  const families = () => connection.collection('token_families').find({}).sort({ createdAt: 1 }).toArray();
  return { connection, clock, jwt, User, ada, grace, execute, login, refresh, me, families };
}
