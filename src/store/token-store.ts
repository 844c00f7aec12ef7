/** What is recorded for every refresh or sliding token issued (Simple JWT's OutstandingToken). */
export interface OutstandingTokenRecord {
  readonly jti: string;
  /** The user id as a string; `null` when the token names no user. */
  readonly userId: string | null;
  readonly tokenType: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Counts removed by `flushExpired`. */
export interface FlushResult {
  readonly outstanding: number;
  readonly blacklisted: number;
}

/**
 * Where outstanding and blacklisted tokens live. The token rules talk only to this interface; the
 * MongoDB implementation is `MongoTokenStore`. Every method fails with `TokenStoreUnavailableError`
 * when the database cannot be reached: never a silent success.
 */
export interface TokenStore {
  /** Records a newly issued token (plain insert). */
  recordOutstanding(record: OutstandingTokenRecord): Promise<void>;
  /** True when a blacklist record exists for `jti` (one indexed lookup). */
  isBlacklisted(jti: string): Promise<boolean>;
  /**
   * Blacklists the token, creating its outstanding record if missing. Idempotent.
   * @returns `true` when this call created the blacklist record, `false` when it already existed.
   */
  blacklist(record: OutstandingTokenRecord): Promise<boolean>;
  /** Deletes outstanding and blacklisted records whose token expired at or before `now`. */
  flushExpired(now: Date): Promise<FlushResult>;
  /** Blacklists every unexpired outstanding token of a user ("log out everywhere"); returns how many it added. */
  blacklistAllForUser(userId: string, now: Date): Promise<number>;
}
