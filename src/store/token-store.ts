import type { FlushProgress } from './range-flush.js';

export type { FlushProgress } from './range-flush.js';

/** What is recorded for every refresh or sliding token issued (Simple JWT's OutstandingToken). */
export interface OutstandingTokenRecord {
  readonly jti: string;
  /** The user id as a string; `null` when the token names no user. */
  readonly userId: string | null;
  readonly tokenType: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Options of `TokenStore.blacklist`. */
export interface BlacklistOptions {
  /** Set when a refresh rotated the token away (what reuse detection looks for): the rotation's time. */
  readonly rotatedAt?: Date | undefined;
}

/** Counts removed by `flushExpired`. */
export interface FlushResult {
  readonly outstanding: number;
  readonly blacklisted: number;
  /** Expired login-attempt counters deleted (only when login throttling is flushed too). */
  readonly loginAttempts?: number;
  /** Token families deleted (when the store keeps families). */
  readonly families?: number;
}

/**
 * Where outstanding and blacklisted tokens live. The token rules talk only to this interface; the
 * MongoDB implementation is `MongoTokenStore`. Every method fails with `TokenStoreUnavailableError`
 * when the database cannot be reached: never a silent success.
 */
export interface TokenStore {
  /** Records a newly issued token (one insert). */
  recordOutstanding(record: OutstandingTokenRecord): Promise<void>;
  /** True when a blacklist record exists for `jti` (one point lookup). */
  isBlacklisted(jti: string): Promise<boolean>;
  /**
   * Blacklists the token, creating its outstanding record if missing (one round trip). Idempotent,
   * and exactly once: of concurrent calls for one token, one returns `true`.
   * @returns `true` when this call created the blacklist record, `false` when it already existed.
   */
  blacklist(record: OutstandingTokenRecord, options?: BlacklistOptions): Promise<boolean>;
  /**
   * Deletes the outstanding record of a token that was recorded but never handed out (a rotation
   * that recorded its new token while the old one turned out to be blacklisted already).
   */
  forgetOutstanding(jti: string): Promise<void>;
  /**
   * Deletes outstanding and blacklisted records whose token expired at or before `now`, in batches;
   * `onProgress` hears about each batch.
   */
  flushExpired(now: Date, onProgress?: (progress: FlushProgress) => void): Promise<FlushResult>;
  /** Blacklists every unexpired outstanding token of a user ("log out everywhere"); returns how many it added. */
  blacklistAllForUser(userId: string, now: Date): Promise<number>;
}
