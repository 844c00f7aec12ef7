import type { Connection, InsertManyOptions, Types } from 'mongoose';
import {
  assertDate,
  assertRecord,
  assertString,
  type MongoTokenStoreOptions,
  resolveMongoTokenStoreOptions,
} from './mongo-token-store-options.js';
import { isDuplicateKeyError, withDeadline } from './store-errors.js';
import { ensureTokenIndexes } from './token-indexes.js';
import { type OutstandingTokenDocument, tokenModelsFor } from './token-models.js';
import type { FlushResult, OutstandingTokenRecord, TokenStore } from './token-store.js';

export type { MongoTokenStoreOptions } from './mongo-token-store-options.js';

/** The MongoDB token store: a `TokenStore` plus `ready()`. */
export interface MongoTokenStore extends TokenStore {
  /**
   * Creates the indexes (once; retried on the next call after a failure). Every method awaits it;
   * call it at start-up to find a missing database or a refused index before the first request.
   * Rejects with `TokenStoreUnavailableError`, or `ImproperlyConfiguredError` when the server
   * refuses an index (e.g. `ttlIndexes` on FerretDB).
   */
  ready(): Promise<void>;
}

interface OutstandingTokenRef {
  _id: Types.ObjectId;
  jti: string;
  expiresAt: Date;
}

function outstandingDocument(record: OutstandingTokenRecord): OutstandingTokenDocument {
  return {
    jti: record.jti,
    user: record.userId,
    tokenType: record.tokenType,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
  };
}

function insertedCountOf(error: unknown): number {
  const count = (error as { result?: { insertedCount?: unknown } }).result?.insertedCount;
  if (typeof count !== 'number') throw error;
  return count;
}

/**
 * Creates the MongoDB token store on the user's mongoose `connection` (the port of Simple JWT's
 * `token_blacklist` app). Needs neither transactions nor TTL indexes, so it runs on FerretDB v1
 * as on MongoDB; the raw token string is never stored. Every database failure rejects with
 * `TokenStoreUnavailableError` within `operationTimeoutMs`.
 *
 * @throws ImproperlyConfiguredError when an option is invalid (at once, not at the first request).
 */
export function createMongoTokenStore(
  connection: Connection,
  options: MongoTokenStoreOptions = {},
): MongoTokenStore {
  const settings = resolveMongoTokenStoreOptions(options);
  const { operationTimeoutMs: maxTimeMS, clock, flushBatchSize } = settings;
  const models = tokenModelsFor(connection, settings);
  const { outstanding, blacklisted } = models;
  // InsertManyOptions lacks maxTimeMS in its types, though mongoose passes it to the insert command.
  const insertOptions: InsertManyOptions & { maxTimeMS: number } = {
    maxTimeMS,
    throwOnValidationError: true,
  };
  let indexesCreated: Promise<void> | undefined;

  function ready(): Promise<void> {
    indexesCreated ??= withDeadline(maxTimeMS, () =>
      ensureTokenIndexes(connection, models, { ttlIndexes: settings.ttlIndexes, maxTimeMS }),
    ).catch((error: unknown) => {
      indexesCreated = undefined;
      throw error;
    });
    return indexesCreated;
  }

  // One deadline covers index creation and the operation itself; past it, the operation is skipped.
  function run<T>(operation: () => Promise<T>): Promise<T> {
    return withDeadline(maxTimeMS, async (signal) => {
      await ready();
      signal.throwIfAborted();
      return operation();
    });
  }

  /**
   * Deletes expired records `flushBatchSize` at a time, each batch under its own deadline: one
   * deleteMany over millions of records would outlast any deadline, and FerretDB v1 (SQLite) refuses
   * a delete matching more than 32,766 documents.
   */
  async function flushInBatches(model: typeof outstanding | typeof blacklisted, now: Date): Promise<number> {
    const { collection } = model;
    let deleted = 0;
    for (;;) {
      const batch = await run(async () => {
        const expired = await collection
          .find({ expiresAt: { $lte: now } }, { projection: { _id: 1 }, limit: flushBatchSize, maxTimeMS })
          .toArray();
        if (expired.length === 0) return 0;
        const ids = expired.map((document) => document._id);
        const result = await collection.deleteMany({ _id: { $in: ids } }, { maxTimeMS });
        return result.deletedCount;
      });
      deleted += batch;
      if (batch < flushBatchSize) return deleted;
    }
  }

  async function upsertOutstanding(record: OutstandingTokenRecord): Promise<OutstandingTokenRef> {
    const { jti, ...fields } = outstandingDocument(record);
    const found = await outstanding
      .findOneAndUpdate(
        { jti: { $eq: jti } },
        // $setOnInsert: an existing record keeps its user and createdAt (Simple JWT's get_or_create).
        { $setOnInsert: fields },
        // No projection: FerretDB v1 does not implement one on findAndModify (the document is small).
        { upsert: true, returnDocument: 'after', maxTimeMS },
      )
      .lean<OutstandingTokenRef>();
    if (!found) throw new Error(`upsert of outstanding token ${jti} returned no document`);
    return found;
  }

  async function getOrCreateOutstanding(record: OutstandingTokenRecord): Promise<OutstandingTokenRef> {
    try {
      return await upsertOutstanding(record);
    } catch (error) {
      // Two concurrent upserts of one new jti can both try the insert; the loser now finds the winner's.
      if (!isDuplicateKeyError(error)) throw error;
      return upsertOutstanding(record);
    }
  }

  return {
    ready,

    async recordOutstanding(record) {
      assertRecord(record);
      await run(() => outstanding.insertMany([outstandingDocument(record)], insertOptions));
    },

    async isBlacklisted(jti) {
      assertString(jti, 'jti');
      return run(async () => (await blacklisted.exists({ jti: { $eq: jti } }).maxTimeMS(maxTimeMS)) !== null);
    },

    async blacklist(record) {
      assertRecord(record);
      return run(async () => {
        const token = await getOrCreateOutstanding(record);
        try {
          // The exactly-once primitive: one insert guarded by the unique indexes on token and jti.
          await blacklisted.insertMany(
            [{ token: token._id, jti: token.jti, blacklistedAt: clock(), expiresAt: token.expiresAt }],
            insertOptions,
          );
          return true;
        } catch (error) {
          if (isDuplicateKeyError(error)) return false;
          throw error;
        }
      });
    },

    async flushExpired(now): Promise<FlushResult> {
      assertDate(now, 'now');
      // Blacklist records first: a crash between the two leaves only expired outstanding records.
      const blacklistedCount = await flushInBatches(blacklisted, now);
      const outstandingCount = await flushInBatches(outstanding, now);
      return { outstanding: outstandingCount, blacklisted: blacklistedCount };
    },

    async blacklistAllForUser(userId, now) {
      assertString(userId, 'userId');
      assertDate(now, 'now');
      return run(async () => {
        const tokens = await outstanding
          .find({ user: { $eq: userId }, expiresAt: { $gt: now } }, { jti: 1, expiresAt: 1 })
          .maxTimeMS(maxTimeMS)
          .lean<OutstandingTokenRef[]>();
        if (tokens.length === 0) return 0;
        const blacklistedAt = clock();
        const entries = tokens.map((token) => ({
          token: token._id,
          jti: token.jti,
          blacklistedAt,
          expiresAt: token.expiresAt,
        }));
        try {
          return (await blacklisted.insertMany(entries, { ...insertOptions, ordered: false })).length;
        } catch (error) {
          // Tokens already blacklisted (earlier, or by a concurrent call) are duplicates: count only the new.
          if (isDuplicateKeyError(error)) return insertedCountOf(error);
          throw error;
        }
      });
    },
  };
}
