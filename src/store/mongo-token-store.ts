import type { Collection, Connection } from 'mongoose';
import { indexedOperations } from './indexed-operations.js';
import {
  assertDate,
  assertRecord,
  assertString,
  type MongoTokenStoreOptions,
  resolveMongoTokenStoreOptions,
} from './mongo-token-store-options.js';
import { deleteExpiredBatch, type ExpiringDocument, type FlushProgress } from './range-flush.js';
import { isDuplicateKeyError } from './store-errors.js';
import { ensureTokenIndexes } from './token-indexes.js';
import {
  type BlacklistedTokenDocument,
  type OutstandingTokenDocument,
  tokenModelsFor,
} from './token-models.js';
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

function outstandingDocument(record: OutstandingTokenRecord): OutstandingTokenDocument {
  return {
    _id: record.jti,
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

/** Resolves `true` when the insert happened, `false` when the key already existed. */
async function insertedOrExisted(insert: Promise<unknown>): Promise<boolean> {
  try {
    await insert;
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/**
 * Creates the MongoDB token store on the user's mongoose `connection` (the port of Simple JWT's
 * `token_blacklist` app). Both collections are keyed by the token's `jti`; every write is an
 * insert whose duplicate-key error is the answer, every read a point lookup by `_id`. Needs neither
 * transactions nor TTL indexes, so it runs on FerretDB v1 as on MongoDB; the raw token string is
 * never stored. Every database failure rejects with `TokenStoreUnavailableError` within
 * `operationTimeoutMs`.
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
  // The driver's collections (mongoose's thin wrapper, which refuses to buffer while disconnected):
  // no document hydration on the request path.
  // (A model's collection is typed for any document; these hold the documents of the schemas.)
  const outstanding = models.outstanding.collection as unknown as Collection<OutstandingTokenDocument>;
  const blacklisted = models.blacklisted.collection as unknown as Collection<BlacklistedTokenDocument>;
  const writeOptions = { maxTimeMS };
  const { ready, run } = indexedOperations(maxTimeMS, () =>
    ensureTokenIndexes(connection, models, { ttlIndexes: settings.ttlIndexes, maxTimeMS }),
  );

  /** Range deletes of `flushBatchSize` records, each batch under its own deadline. */
  async function flushCollection(
    name: FlushProgress['collection'],
    now: Date,
    onProgress: ((progress: FlushProgress) => void) | undefined,
  ): Promise<number> {
    const model = name === 'outstanding' ? models.outstanding : models.blacklisted;
    const collection = model.collection as unknown as Collection<ExpiringDocument>;
    let deleted = 0;
    for (;;) {
      const batch = await run(() => deleteExpiredBatch(collection, now, flushBatchSize, maxTimeMS));
      deleted += batch.deleted;
      onProgress?.({ collection: name, deleted });
      if (batch.last) return deleted;
    }
  }

  return {
    ready,

    async recordOutstanding(record) {
      assertRecord(record);
      await run(() => outstanding.insertOne(outstandingDocument(record), writeOptions));
    },

    async isBlacklisted(jti) {
      assertString(jti, 'jti');
      return run(
        async () => (await blacklisted.findOne({ _id: jti }, { projection: { _id: 1 }, maxTimeMS })) !== null,
      );
    },

    async blacklist(record, options) {
      assertRecord(record);
      return run(async () => {
        // Two inserts at once. The outstanding one is Simple JWT's get_or_create: a record that
        // exists keeps its user and createdAt. The blacklist one is the exactly-once primitive: of
        // any number of concurrent calls, one inserts and the others hit the unique `_id`.
        const [, created] = await Promise.all([
          insertedOrExisted(outstanding.insertOne(outstandingDocument(record), writeOptions)),
          insertedOrExisted(
            blacklisted.insertOne(
              {
                _id: record.jti,
                blacklistedAt: clock(),
                expiresAt: record.expiresAt,
                ...(options?.rotatedAt ? { rotatedAt: options.rotatedAt } : {}),
              },
              writeOptions,
            ),
          ),
        ]);
        return created;
      });
    },

    async forgetOutstanding(jti) {
      assertString(jti, 'jti');
      await run(() => outstanding.deleteOne({ _id: jti }, writeOptions));
    },

    async flushExpired(now, onProgress): Promise<FlushResult> {
      assertDate(now, 'now');
      // Blacklist records first: a crash between the two leaves only expired outstanding records.
      const blacklistedCount = await flushCollection('blacklisted', now, onProgress);
      const outstandingCount = await flushCollection('outstanding', now, onProgress);
      return { outstanding: outstandingCount, blacklisted: blacklistedCount };
    },

    async blacklistAllForUser(userId, now) {
      assertString(userId, 'userId');
      assertDate(now, 'now');
      return run(async () => {
        const tokens = await outstanding
          .find(
            { user: { $eq: userId }, expiresAt: { $gt: now } },
            { projection: { _id: 1, expiresAt: 1 }, maxTimeMS },
          )
          .toArray();
        if (tokens.length === 0) return 0;
        const blacklistedAt = clock();
        const entries = tokens.map((token) => ({
          _id: token._id,
          blacklistedAt,
          expiresAt: token.expiresAt,
        }));
        try {
          return (await blacklisted.insertMany(entries, { ...writeOptions, ordered: false })).insertedCount;
        } catch (error) {
          // Tokens already blacklisted (earlier, or by a concurrent call) are duplicates: count only the new.
          if (isDuplicateKeyError(error)) return insertedCountOf(error);
          throw error;
        }
      });
    },
  };
}
