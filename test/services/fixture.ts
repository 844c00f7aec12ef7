import { createHmac, hkdfSync } from 'node:crypto';
import type { Connection } from 'mongoose';
import {
  type CreateSimpleJwtOptions,
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  createUserModel,
  insecureTestScryptOptions,
  type NewUser,
  type SimpleJwtSettings,
  type UserDocument,
  type UserModelOptions,
} from 'pothos-plugin-simple-jwt';
import { expect } from 'vitest';
import { documentsOf } from '../store/store-fixtures.js';
import { segmentJson } from '../support/forge-jwt.js';
import { hmacSecret } from '../support/jwt-keys.js';
import { testClock, y2k } from '../support/token-fixture.js';

/** The password every fixture user gets (Simple JWT's test fixture). */
export const password = 'test_password';

/** Lifetimes of the default settings, in seconds. */
export const lifetimes = { access: 300, refresh: 86_400, sliding: 300, slidingRefresh: 86_400 } as const;

/** 32 lowercase hex digits: Simple JWT's jti (uuid4 hex). */
export const jtiPattern = /^[0-9a-f]{32}$/;

const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
let sequence = 0;

type PassThroughOptions = Omit<
  CreateSimpleJwtOptions<UserDocument>,
  'settings' | 'connection' | 'tokenStore' | 'userModel' | 'passwordHasher' | 'now' | 'warn'
>;

export interface ServiceFixtureOptions extends PassThroughOptions {
  /** Settings on top of the test HMAC secret. */
  settings?: SimpleJwtSettings;
  /** Give the instance the token store (the blacklist app). @default true */
  blacklist?: boolean;
  /** Where the user model lives. @default the token store's connection */
  userConnection?: Connection;
  /** The user model's schema, e.g. the ready one with a numeric id field added. @default createUserSchema() */
  userSchema?: UserModelOptions['schema'];
}

/**
 * The revoke-hash claim for a stored password hash under the test secret, computed independently:
 * upper hex of HMAC-SHA256 keyed by HKDF-SHA256 of the secret (see src/tokens/revoke-hash.ts).
 */
export function revokeHashOf(passwordHash: string): string {
  const key = Buffer.from(
    hkdfSync('sha256', hmacSecret, Buffer.alloc(0), 'pothos-plugin-simple-jwt revoke-token-claim v1', 32),
  );
  return createHmac('sha256', key).update(passwordHash, 'utf8').digest('hex').toUpperCase();
}

/** The claims of a token, decoded independently of the code under test. */
export function claimsOf(token: string): Record<string, unknown> {
  return segmentJson(token, 1) as Record<string, unknown>;
}

/**
 * A `SimpleJwt` built as a user builds it (`createSimpleJwt` with a mongoose user model and, unless
 * `blacklist: false`, the connection as token store), on collections of its own so every fixture
 * starts empty; a test clock fixed at 2000-01-01 that tests move; cheap password hashing.
 */
export function serviceFixture(connection: Connection, options: ServiceFixtureOptions = {}) {
  const { settings, blacklist = true, userConnection = connection, userSchema, ...rest } = options;
  sequence += 1;
  const outstandingCollection = `outstanding_tokens_${sequence}`;
  const blacklistedCollection = `blacklisted_tokens_${sequence}`;
  const usersCollection = `users_${sequence}`;
  const User = createUserModel(userConnection, {
    modelName: `User${sequence}`,
    collection: usersCollection,
    ...(userSchema ? { schema: userSchema } : {}),
  });
  const clock = testClock(y2k);
  const warnings: string[] = [];
  const jwt = createSimpleJwt<UserDocument>({
    settings: { signingKey: hmacSecret, ...settings },
    ...(blacklist ? { connection, tokenStore: { outstandingCollection, blacklistedCollection } } : {}),
    userModel: User,
    passwordHasher: hasher,
    now: clock,
    warn: (message) => warnings.push(message),
    ...rest,
  });

  return {
    jwt,
    clock,
    User,
    hasher,
    warnings,
    usersCollection,
    outstandingCollection,
    blacklistedCollection,
    /** Creates and saves a user whose password is `password`. */
    createUser: (username: string, fields: Omit<NewUser, 'username' | 'password'> = {}) =>
      createUser(User, { username, password, ...fields }, hasher),
    /** Obtains a token pair for `username` with the fixture password. */
    login: (username: string) => jwt.obtainTokenPair({ username, password }),
    /** The stored records, read with the driver (not through the store), oldest first. */
    outstanding: () => documentsOf(connection, outstandingCollection),
    blacklisted: () => documentsOf(connection, blacklistedCollection),
    /** A user's document as stored now. */
    reload: (user: UserDocument) => User.findById(user._id).orFail().exec(),
  };
}

export type ServiceFixture = ReturnType<typeof serviceFixture>;

/**
 * Runs `action`, expects it to reject with a GraphQL error of `code` and `message`, and returns the
 * error for further checks. Every error clients see carries `extensions.http.status`.
 */
export async function expectError(
  action: Promise<unknown>,
  code: string,
  message: string,
): Promise<{ extensions: Record<string, unknown> } & Error> {
  let caught: unknown;
  try {
    await action;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code} "${message}"`).toBeInstanceOf(Error);
  const error = caught as { extensions: Record<string, unknown> } & Error;
  expect({ code: error.extensions?.['code'], message: error.message }).toEqual({ code, message });
  return error;
}

/** The `WWW-Authenticate` value an error carries (Apollo reads the Map, Yoga the properties). */
export function challengeOf(error: { extensions: Record<string, unknown> }): {
  status: unknown;
  fromMap: unknown;
  fromProperty: unknown;
} {
  const http = error.extensions['http'] as { status?: unknown; headers?: unknown } | undefined;
  const headers = http?.headers as (Map<string, string> & Record<string, string>) | undefined;
  return {
    status: http?.status,
    fromMap: headers instanceof Map ? headers.get('WWW-Authenticate') : undefined,
    fromProperty: headers?.['WWW-Authenticate'],
  };
}

/** A token of `tokenClass` signed by the instance but never recorded, with `edit` applied to its claims. */
export function craftedToken<T extends { toString(): string }>(
  tokenClass: new () => T,
  edit: (token: T) => void,
): string {
  const token = new tokenClass();
  edit(token);
  return token.toString();
}
