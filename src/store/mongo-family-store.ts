import type { Collection, Connection } from 'mongoose';
import type { FamilyRevokeReason, TokenFamilyRecord, TokenFamilyStore } from '../sessions/family-store.js';
import { indexedOperations } from './indexed-operations.js';
import {
  assertDate,
  assertString,
  collectionName,
  type MongoTokenStoreOptions,
  resolveMongoTokenStoreOptions,
} from './mongo-token-store-options.js';
import { deleteExpiredBatch, type ExpiringDocument } from './range-flush.js';
import { ensureIndexPlans, waitForConnection } from './token-indexes.js';
import { type BlacklistedTokenDocument, familyModelFor, type TokenFamilyDocument } from './token-models.js';

/** The MongoDB family store: a `TokenFamilyStore` plus `ready()` (its indexes). */
export interface MongoTokenFamilyStore extends TokenFamilyStore {
  ready(): Promise<void>;
}

function familyDocument(record: TokenFamilyRecord): TokenFamilyDocument {
  return {
    _id: record.id,
    user: record.userId,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    userAgent: record.userAgent,
    revokedAt: record.revokedAt,
    revokedReason: record.revokedReason,
    expiresAt: record.expiresAt,
  };
}

function familyRecord(document: TokenFamilyDocument): TokenFamilyRecord {
  return {
    id: document._id,
    userId: document.user ?? null,
    createdAt: document.createdAt,
    lastUsedAt: document.lastUsedAt,
    userAgent: document.userAgent ?? null,
    revokedAt: document.revokedAt ?? null,
    revokedReason: (document.revokedReason ?? null) as FamilyRevokeReason | null,
    expiresAt: document.expiresAt,
  };
}

/**
 * Token families in one collection (`familyCollection`, default `token_families`) keyed by the
 * family id: point lookups by `_id`, single-document updates whose filter is the condition (a
 * revocation happens once), range deletes for flushing. No transactions, no TTL index.
 */
export function createMongoFamilyStore(
  connection: Connection,
  options: MongoTokenStoreOptions = {},
): MongoTokenFamilyStore {
  const settings = resolveMongoTokenStoreOptions(options);
  const { operationTimeoutMs: maxTimeMS, flushBatchSize } = settings;
  const familyCollection = collectionName('familyCollection', options.familyCollection ?? 'token_families');
  const model = familyModelFor(connection, familyCollection);
  const families = model.collection as unknown as Collection<TokenFamilyDocument>;
  const blacklisted = connection.collection(
    settings.blacklistedCollection,
  ) as unknown as Collection<BlacklistedTokenDocument>;
  const writeOptions = { maxTimeMS };
  const { ready, run } = indexedOperations(maxTimeMS, async () => {
    await waitForConnection(connection);
    await ensureIndexPlans(
      model.collection,
      [
        // Serves a user's sessions and "log out everywhere".
        { key: { user: 1, expiresAt: 1 }, options: {}, setting: 'familyCollection' },
        { key: { expiresAt: 1 }, options: {}, setting: 'familyCollection' },
      ],
      maxTimeMS,
    );
  });

  return {
    ready,

    async createFamily(record) {
      assertString(record.id, 'id');
      assertDate(record.expiresAt, 'expiresAt');
      await run(() => families.insertOne(familyDocument(record), writeOptions));
    },

    async findFamily(id) {
      assertString(id, 'id');
      const document = await run(() => families.findOne({ _id: { $eq: id } }, { maxTimeMS }));
      return document === null ? null : familyRecord(document);
    },

    async touchFamily(id, lastUsedAt, expiresAt) {
      assertString(id, 'id');
      await run(() =>
        families.updateOne(
          { _id: { $eq: id }, lastUsedAt: { $lt: lastUsedAt } },
          { $set: { lastUsedAt, expiresAt } },
          writeOptions,
        ),
      );
    },

    async revokeFamily(id, reason, at, userId) {
      assertString(id, 'id');
      const filter = {
        _id: { $eq: id },
        revokedAt: null,
        ...(userId === undefined ? {} : { user: { $eq: userId } }),
      };
      const result = await run(() =>
        families.updateOne(filter, { $set: { revokedAt: at, revokedReason: reason } }, writeOptions),
      );
      return result.modifiedCount === 1;
    },

    async revokeFamiliesOf(userId, reason, at) {
      assertString(userId, 'userId');
      const result = await run(() =>
        families.updateMany(
          { user: { $eq: userId }, expiresAt: { $gt: at }, revokedAt: null },
          { $set: { revokedAt: at, revokedReason: reason } },
          writeOptions,
        ),
      );
      return result.modifiedCount;
    },

    async liveFamiliesOf(userId, now) {
      assertString(userId, 'userId');
      assertDate(now, 'now');
      const documents = await run(() =>
        families
          .find({ user: { $eq: userId }, expiresAt: { $gt: now }, revokedAt: null }, { maxTimeMS })
          .toArray(),
      );
      return documents
        .map(familyRecord)
        .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime() || a.id.localeCompare(b.id));
    },

    async rotatedAt(jti) {
      assertString(jti, 'jti');
      const entry = await run(() =>
        blacklisted.findOne({ _id: { $eq: jti } }, { projection: { rotatedAt: 1 }, maxTimeMS }),
      );
      return entry?.rotatedAt instanceof Date ? entry.rotatedAt : null;
    },

    async flushExpiredFamilies(now) {
      assertDate(now, 'now');
      const collection = families as unknown as Collection<ExpiringDocument>;
      let deleted = 0;
      for (;;) {
        const batch = await run(() => deleteExpiredBatch(collection, now, flushBatchSize, maxTimeMS));
        deleted += batch.deleted;
        if (batch.last) return deleted;
      }
    },
  } satisfies MongoTokenFamilyStore & Record<string, unknown>;
}

export type { FamilyRevokeReason };
