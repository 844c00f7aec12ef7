import { hash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { ImproperlyConfiguredError } from '../errors.js';
import type { TokenInstance } from '../tokens/bind-token-classes.js';
import { BlacklistableToken } from '../tokens/blacklistable-token.js';
import { AccessToken } from '../tokens/token-types.js';

/**
 * A bounded cache of access tokens that passed full validation, so that a client sending the same
 * token on every request pays for one signature check, not one per request.
 *
 * - Keyed by the SHA-256 digest of the token string; a hit also compares the string itself.
 * - Holds only tokens validated as access tokens: never refresh or sliding tokens, nor anything whose
 *   validity the blacklist decides (those are always looked up).
 * - An entry is dropped at the token's `exp` by the instance clock, and every hit re-checks `exp`.
 * - At most `maxEntries` entries; the least recently used goes first.
 *
 * A cached entry is the validated token object itself, shared by every request that sends that
 * token, so its payload is frozen (and its `currentTime` is that of its first validation). Only the
 * token is cached: in database mode the user is still loaded (and checked: active, password not
 * changed) on every request.
 */
export interface VerifiedTokenCache {
  /** The validated access token for `rawToken`, or `undefined` (absent, or at/after its `exp`). */
  get(rawToken: string): TokenInstance | undefined;
  /**
   * Remembers `token`, validated from `rawToken`; ignored (returns `false`) for anything but an
   * unexpired access token.
   */
  remember(rawToken: string, token: TokenInstance): boolean;
  readonly size: number;
  clear(): void;
}

/** Entries kept when `accessTokenCacheSize` is not given: about 12 MB of heap when full. */
export const defaultAccessTokenCacheSize = 10_000;

export interface VerifiedTokenCacheOptions {
  /** Most entries kept; `0` makes a cache that never holds anything. */
  readonly maxEntries: number;
  /** The instance clock (the one token validation reads). */
  readonly now: Clock;
}

interface Entry {
  readonly token: TokenInstance;
  /** `exp` in epoch milliseconds: the entry is useless from then on. */
  readonly expiresAtMs: number;
}

function digestOf(rawToken: string): string {
  return hash('sha256', rawToken, 'base64url');
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}

export function createVerifiedTokenCache({ maxEntries, now }: VerifiedTokenCacheOptions): VerifiedTokenCache {
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 0) {
    throw new ImproperlyConfiguredError(
      'accessTokenCacheSize',
      `expected a whole number of entries, 0 to turn the cache off, got ${String(maxEntries)}`,
    );
  }
  // Map iteration follows insertion order: re-inserting on a hit makes the first key the least recent.
  const entries = new Map<string, Entry>();

  return {
    get(rawToken) {
      if (entries.size === 0) return undefined;
      const key = digestOf(rawToken);
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      if (now().getTime() >= entry.expiresAtMs || entry.token.token !== rawToken) return undefined;
      entries.set(key, entry);
      return entry.token;
    },
    remember(rawToken, token) {
      if (maxEntries === 0 || !(token instanceof AccessToken) || token instanceof BlacklistableToken) {
        return false;
      }
      const exp = token.payload['exp'];
      if (token.token !== rawToken || typeof exp !== 'number' || !Number.isFinite(exp)) return false;
      const expiresAtMs = exp * 1000;
      if (now().getTime() >= expiresAtMs) return false;
      deepFreeze(token.payload);
      const key = digestOf(rawToken);
      entries.delete(key);
      entries.set(key, { token, expiresAtMs });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      return true;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
