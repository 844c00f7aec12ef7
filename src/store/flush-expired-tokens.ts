import type { Connection } from 'mongoose';
import { createMongoTokenStore } from './mongo-token-store.js';
import type { FlushResult } from './token-store.js';

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
   * Upper bound on the whole flush, in milliseconds.
   * @default 5000
   */
  operationTimeoutMs?: number;
}

/**
 * Deletes expired outstanding and blacklisted token records: the port of Simple JWT's
 * `flushexpiredtokens` management command, meant for a daily cron job (also the
 * `flush-expired-tokens` command of this package). One indexed `deleteMany` per collection.
 *
 * @returns how many records it deleted from each collection.
 * @throws TokenStoreUnavailableError when the database cannot be reached.
 */
export async function flushExpiredTokens(options: FlushExpiredTokensOptions): Promise<FlushResult> {
  const { connection, now = new Date(), ...storeOptions } = options;
  return createMongoTokenStore(connection, storeOptions).flushExpired(now);
}
