import type { Connection } from 'mongoose';
import { createLoginAttemptsCollection } from '../throttle/login-attempts-collection.js';
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
 * @returns how many records it deleted from each collection.
 * @throws TokenStoreUnavailableError when the database cannot be reached.
 */
export async function flushExpiredTokens(options: FlushExpiredTokensOptions): Promise<FlushResult> {
  const { connection, now = new Date(), onProgress, loginAttemptsCollection, ...storeOptions } = options;
  const store = createMongoTokenStore(connection, storeOptions);
  const counters =
    loginAttemptsCollection === undefined
      ? null
      : createLoginAttemptsCollection(
          connection,
          collectionName('loginAttemptsCollection', loginAttemptsCollection),
          storeOptions.operationTimeoutMs ?? 5000,
        );
  const tokens = await store.flushExpired(now, onProgress);
  if (!counters) return tokens;
  return { ...tokens, loginAttempts: await counters.flushExpired(now, storeOptions.flushBatchSize) };
}
