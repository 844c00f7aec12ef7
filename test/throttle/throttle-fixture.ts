import type { Connection } from 'mongoose';
import {
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  createUserModel,
  insecureTestScryptOptions,
  type PasswordHasher,
  type SimpleJwtSettings,
  type UserDocument,
} from 'pothos-plugin-simple-jwt';
import { expect } from 'vitest';
import { hmacSecret } from '../support/jwt-keys.js';
import { testClock, y2k } from '../support/token-fixture.js';

export const password = 'test_password';
let sequence = 0;

/** A hasher that counts every password check (real or dummy): a throttled attempt must add none. */
export function countingHasher() {
  const inner = createScryptPasswordHasher(insecureTestScryptOptions);
  const counts = { checks: 0 };
  const hasher: PasswordHasher = {
    hash: (plain) => inner.hash(plain),
    verify: (plain, encoded) => {
      counts.checks += 1;
      return inner.verify(plain, encoded);
    },
    verifyDummy: (plain) => {
      counts.checks += 1;
      return inner.verifyDummy(plain);
    },
  };
  return { hasher, counts, inner };
}

/**
 * A `SimpleJwt` with login throttling on, on collections of its own (counters included), a test
 * clock fixed at 2000-01-01 and a counting hasher; the user `alice` exists, `nobody` does not.
 */
export async function throttleFixture(connection: Connection, settings: SimpleJwtSettings = {}) {
  sequence += 1;
  const loginThrottleCollection = `login_attempts_${sequence}`;
  const User = createUserModel(connection, {
    modelName: `ThrottleUser${sequence}`,
    collection: `users_t${sequence}`,
  });
  const clock = testClock(y2k);
  const { hasher, counts, inner } = countingHasher();
  const jwt = createSimpleJwt<UserDocument>({
    settings: { signingKey: hmacSecret, loginThrottle: true, loginThrottleCollection, ...settings },
    connection,
    tokenStore: {
      outstandingCollection: `outstanding_t${sequence}`,
      blacklistedCollection: `blacklisted_t${sequence}`,
    },
    userModel: User,
    passwordHasher: hasher,
    now: clock,
  });
  await createUser(User, { username: 'alice', password }, inner);
  const counters = connection.collection(loginThrottleCollection);
  return {
    jwt,
    clock,
    counts,
    counters,
    /** One login with the given credentials and address; resolves to what a client learns from it. */
    attempt: (username: string, pass: string, clientAddress: string | null = '192.0.2.1') =>
      outcomeOf(jwt.obtainTokenPair({ username, password: pass }, { clientAddress })),
  };
}

export interface Outcome {
  readonly code: string;
  readonly status?: unknown;
  readonly retryAfter?: unknown;
  readonly header?: unknown;
}

/** `OK`, or the error's code, HTTP status and Retry-After (extension and header). */
export async function outcomeOf(login: Promise<unknown>): Promise<Outcome> {
  try {
    await login;
    return { code: 'OK' };
  } catch (error) {
    const extensions = (error as { extensions?: Record<string, unknown> }).extensions;
    expect(extensions, String(error)).toBeDefined();
    const http = extensions?.['http'] as { status?: number; headers?: Map<string, string> } | undefined;
    if (extensions?.['code'] !== 'TOO_MANY_ATTEMPTS') return { code: String(extensions?.['code']) };
    return {
      code: 'TOO_MANY_ATTEMPTS',
      status: http?.status,
      retryAfter: extensions['retryAfter'],
      header: http?.headers?.get('Retry-After'),
    };
  }
}

/** The outcome of a throttled attempt that must wait `seconds`. */
export const throttled = (seconds: number): Outcome => ({
  code: 'TOO_MANY_ATTEMPTS',
  status: 429,
  retryAfter: seconds,
  header: String(seconds),
});

export const failed: Outcome = { code: 'NO_ACTIVE_ACCOUNT' };
export const ok: Outcome = { code: 'OK' };
