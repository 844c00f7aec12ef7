import type { Connection } from 'mongoose';
import { createLoginAttemptsCollection } from '../throttle/login-attempts-collection.js';
import { createMongoFamilyStore } from './mongo-family-store.js';
import { createMongoTokenStore } from './mongo-token-store.js';
import { collectionName } from './mongo-token-store-options.js';
import type { FlushProgress, FlushResult } from './token-store.js';

/** Options of `flushExpiredTokens`. */
export interface FlushExpiredTokensOptions {
  /** An open mongoose connection to the database holding the token collections. */
  connection: Connection;
  /**
   * Records whose token expired at or before this instant are deleted.
   * @default new Date()
   */
  now?: Date;
  /** @default 'outstanding_tokens' */
  outstandingCollection?: string;
  /** @default 'blacklisted_tokens' */
  blacklistedCollection?: string;
  /** Token families (sessions) past their expiry are deleted too. @default 'token_families' */
  familyCollection?: string;
  /**
   * Upper bound on each batch, in milliseconds.
   * @default 5000
   */
  operationTimeoutMs?: number;
  /**
   * Records deleted per range delete (at most 30,000: FerretDB v1 refuses larger deletes).
   * @default 10000
   */
  flushBatchSize?: number;
  /**
   * Also delete expired login-attempt counters (login throttling) from this collection; the result
   * then has `loginAttempts`.
   * @default undefined (counters are left alone)
   */
  loginAttemptsCollection?: string | undefined;
  /** Called after each batch with the collection and its running count (progress of a long flush). */
  onProgress?: (progress: FlushProgress) => void;
}

/**
 * Deletes expired outstanding and blacklisted token records: the port of Simple JWT's
 * `flushexpiredtokens` management command, meant for a daily cron job (also the
 * `flush-expired-tokens` command of this package). Each collection is flushed by range deletes of
 * `flushBatchSize` records on the expiry index: no ids travel, nothing is done per record in Node.
 *
 * Dead token families (every token they could refuse has expired) are deleted after the tokens.
 * @returns how many records it deleted from each collection.
 * @throws TokenStoreUnavailableError when the database cannot be reached.
 */
export async function flushExpiredTokens(options: FlushExpiredTokensOptions): Promise<FlushResult> {
  const { connection, now = new Date(), onProgress, loginAttemptsCollection, ...storeOptions } = options;
  const tokens = await createMongoTokenStore(connection, storeOptions).flushExpired(now, onProgress);
  const families = await createMongoFamilyStore(connection, storeOptions).flushExpiredFamilies(now);
  if (loginAttemptsCollection === undefined) return { ...tokens, families };
  const counters = createLoginAttemptsCollection(
    connection,
    collectionName('loginAttemptsCollection', loginAttemptsCollection),
    storeOptions.operationTimeoutMs ?? 5000,
  );
  return {
    ...tokens,
    families,
    loginAttempts: await counters.flushExpired(now, storeOptions.flushBatchSize),
  };
}
