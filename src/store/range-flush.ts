import type { Collection } from 'mongoose';

/** What `flushExpired` reports after each batch. */
export interface FlushProgress {
  /** Which collection the batch was deleted from. */
  readonly collection: 'outstanding' | 'blacklisted';
  /** Records deleted from that collection so far. */
  readonly deleted: number;
}

/** A token record as far as flushing is concerned. */
export interface ExpiringDocument {
  _id: string;
  expiresAt: Date;
}

interface BatchOutcome {
  readonly deleted: number;
  /** True when no expired record was left beyond this batch. */
  readonly last: boolean;
}

/**
 * Deletes at most `batchSize` of the oldest records expired at or before `cutoff`, by range: the
 * server finds the (batchSize+1)-th oldest expiry with one indexed query and deletes everything
 * strictly older, so no list of ids travels and nothing is done per document in Node. When more
 * than `batchSize` records share the oldest expiry, they are split by `_id` the same way.
 */
export async function deleteExpiredBatch(
  collection: Collection<ExpiringDocument>,
  cutoff: Date,
  batchSize: number,
  maxTimeMS: number,
): Promise<BatchOutcome> {
  const expired = { expiresAt: { $lte: cutoff } };
  const [beyond] = await collection
    .find(expired, {
      projection: { _id: 0, expiresAt: 1 },
      sort: { expiresAt: 1 },
      skip: batchSize,
      limit: 1,
      maxTimeMS,
    })
    .toArray();
  if (beyond === undefined) {
    return { deleted: (await collection.deleteMany(expired, { maxTimeMS })).deletedCount, last: true };
  }
  const older = await collection.deleteMany({ expiresAt: { $lt: beyond.expiresAt } }, { maxTimeMS });
  if (older.deletedCount > 0) return { deleted: older.deletedCount, last: false };
  // The oldest batchSize + 1 records all expire at the same instant: split that instant by `_id`.
  const tied = { expiresAt: { $eq: beyond.expiresAt } };
  const [lastOfBatch] = await collection
    .find(tied, { projection: { _id: 1 }, sort: { _id: 1 }, skip: batchSize - 1, limit: 1, maxTimeMS })
    .toArray();
  // Another flush may have deleted some meanwhile: then the rest of the instant fits in one batch.
  const slice = lastOfBatch === undefined ? tied : { ...tied, _id: { $lte: lastOfBatch._id } };
  return { deleted: (await collection.deleteMany(slice, { maxTimeMS })).deletedCount, last: false };
}
