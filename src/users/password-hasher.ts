import { randomBytes } from 'node:crypto';
import { ImproperlyConfiguredError } from '../errors.js';
import { parseDjangoPbkdf2, verifyDjangoPbkdf2 } from './django-pbkdf2.js';
import { bytesEqual, type ScryptParameters, scryptAsync } from './kdf.js';
import {
  formatScryptHash,
  maxScryptKeyLength,
  minScryptKeyLength,
  parseScryptHash,
  type ScryptLimits,
  scryptParametersAllowed,
} from './scrypt-encoding.js';

/** Hashes and checks passwords. Every method is asynchronous and runs its work off the event loop. */
export interface PasswordHasher {
  /** A self-describing hash of `password` with a fresh random salt. */
  hash(password: string): Promise<string>;
  /** Whether `password` matches `encoded`; `false` (never an exception) for unknown or malformed hashes. */
  verify(password: string, encoded: string): Promise<boolean>;
  /** Costs what `verify` costs and checks nothing: run for unknown users so timing reveals nothing. */
  verifyDummy(password: string): Promise<void>;
}

/** The hasher `createScryptPasswordHasher` returns: a `PasswordHasher` that can tell outdated hashes. */
export interface ScryptPasswordHasher extends PasswordHasher {
  /** `true` when `encoded` is not a scrypt hash with this hasher's parameters (e.g. a migrated Django PBKDF2 hash). */
  needsRehash(encoded: string): boolean;
}

/** Options of `createScryptPasswordHasher`. */
export interface ScryptPasswordHasherOptions {
  /** scrypt cost `N`, a power of two; memory is about `128·N·r` bytes (32 MiB by default). @default 32768 */
  cost?: number;
  /** scrypt block size `r`. @default 8 */
  blockSize?: number;
  /** scrypt parallelization `p`. @default 1 */
  parallelization?: number;
  /** Derived key length in bytes (Django's scrypt hasher uses 64). @default 64 */
  keyLength?: number;
  /** Largest scrypt memory, `128·r·(N + p + 2)` bytes, accepted from a stored hash. @default 268435456 (256 MiB) */
  maxMemory?: number;
  /** Largest scrypt parallelization accepted from a stored hash. @default 16 */
  maxParallelization?: number;
  /** Largest PBKDF2 iteration count accepted from a stored Django hash (Django 5.2 writes 1,000,000). @default 5000000 */
  maxPbkdf2Iterations?: number;
}

/**
 * Deliberately weak scrypt parameters that make tests fast. Never use them in production: they make
 * stolen hashes cheap to crack.
 */
export const insecureTestScryptOptions: Readonly<ScryptPasswordHasherOptions> = Object.freeze({
  cost: 16,
  blockSize: 1,
  parallelization: 1,
});

const defaults = {
  cost: 2 ** 15,
  blockSize: 8,
  parallelization: 1,
  keyLength: 64,
  maxMemory: 2 ** 28,
  maxParallelization: 16,
  maxPbkdf2Iterations: 5_000_000,
} as const satisfies Required<ScryptPasswordHasherOptions>;

/** The salt `verifyDummy` derives with; its value is irrelevant, only the cost matters. */
const dummySalt = 'simple-jwt-dummy';

function positiveInteger(name: keyof ScryptPasswordHasherOptions, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new ImproperlyConfiguredError(
      `passwordHasher.${name}`,
      `expected a whole number from 1 to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

function requireString(password: unknown): asserts password is string {
  if (typeof password !== 'string') throw new TypeError('The password must be a string.');
}

/**
 * A password hasher on `node:crypto`'s asynchronous scrypt. Hashes are written in Django's
 * `scrypt$<N>$<salt>$<r>$<p>$<base64 hash>` layout; `verify` also accepts Django's
 * `pbkdf2_sha256$…` and `pbkdf2_sha1$…` hashes, so a Django user table can be imported as is.
 * @throws ImproperlyConfiguredError for parameters scrypt refuses or that exceed the limits.
 */
export function createScryptPasswordHasher(options: ScryptPasswordHasherOptions = {}): ScryptPasswordHasher {
  // `??` rather than a spread, so an explicit `undefined` still means "the default".
  const setting = <K extends keyof ScryptPasswordHasherOptions>(name: K) => options[name] ?? defaults[name];
  const limits: ScryptLimits = {
    maxMemory: positiveInteger('maxMemory', setting('maxMemory'), Number.MAX_SAFE_INTEGER),
    maxParallelization: positiveInteger('maxParallelization', setting('maxParallelization'), 2 ** 20),
  };
  const maxPbkdf2Iterations = positiveInteger('maxPbkdf2Iterations', setting('maxPbkdf2Iterations'), 2 ** 31);
  const parameters: ScryptParameters = {
    cost: positiveInteger('cost', setting('cost'), 2 ** 30),
    blockSize: positiveInteger('blockSize', setting('blockSize'), 64),
    parallelization: positiveInteger('parallelization', setting('parallelization'), 2 ** 20),
  };
  const keyLength = positiveInteger('keyLength', setting('keyLength'), maxScryptKeyLength);
  if (keyLength < minScryptKeyLength) {
    throw new ImproperlyConfiguredError('passwordHasher.keyLength', `at least ${minScryptKeyLength} bytes`);
  }
  if (!scryptParametersAllowed(parameters, limits)) {
    throw new ImproperlyConfiguredError(
      'passwordHasher.cost',
      'cost must be a power of two above 1, and cost, blockSize and parallelization must fit maxMemory and maxParallelization',
    );
  }

  const verifyDummy = async (password: string): Promise<void> => {
    requireString(password);
    await scryptAsync(password, dummySalt, keyLength, parameters);
  };

  return {
    async hash(password) {
      requireString(password);
      // 16 random bytes as 22 base64url characters: never contains '$', and Django reads it as is.
      const salt = randomBytes(16).toString('base64url');
      const hash = await scryptAsync(password, salt, keyLength, parameters);
      return formatScryptHash({ ...parameters, salt, hash });
    },

    async verify(password, encoded) {
      requireString(password);
      const stored = typeof encoded === 'string' ? encoded : '';
      const scryptHash = parseScryptHash(stored, limits);
      if (scryptHash) {
        const derived = await scryptAsync(password, scryptHash.salt, scryptHash.hash.length, scryptHash);
        return bytesEqual(derived, scryptHash.hash);
      }
      const djangoHash = parseDjangoPbkdf2(stored, maxPbkdf2Iterations);
      if (djangoHash) return verifyDjangoPbkdf2(password, djangoHash);
      // Unusable ("!…"), unknown or malformed: still pay one hash, like Django does since 5.0.7.
      await verifyDummy(password);
      return false;
    },

    verifyDummy,

    needsRehash(encoded) {
      const stored = typeof encoded === 'string' ? parseScryptHash(encoded, limits) : null;
      return (
        stored === null ||
        stored.cost !== parameters.cost ||
        stored.blockSize !== parameters.blockSize ||
        stored.parallelization !== parameters.parallelization ||
        stored.hash.length !== keyLength
      );
    },
  };
}
