import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';

/** Collection names of the token store the benchmark server uses. */
export interface TokenCollections {
  readonly outstandingCollection: string;
  readonly blacklistedCollection: string;
}

export const defaultCollections: TokenCollections = {
  outstandingCollection: 'outstanding_tokens',
  blacklistedCollection: 'blacklisted_tokens',
};

/**
 * Grows both token collections from `from` to `to` records of the store's layout (`_id` = jti),
 * all expired a day ago (so they never match a live token and flushing deletes them all).
 * @returns seconds taken.
 */
export async function growTokenCollections(
  connection: Connection,
  from: number,
  to: number,
  names: TokenCollections = defaultCollections,
): Promise<number> {
  const outstanding = connection.collection<{ _id: string }>(names.outstandingCollection);
  const blacklisted = connection.collection<{ _id: string }>(names.blacklistedCollection);
  const start = performance.now();
  for (let done = from; done < to; ) {
    const size = Math.min(10_000, to - done);
    // Spread over the past day, as a real collection's expiries are: flushing finds no long ties.
    const records = Array.from({ length: size }, (_, index) => {
      const expired = new Date(Date.now() - 86_400_000 - (done + index) * 10);
      return {
        _id: randomBytes(16).toString('hex'),
        user: randomBytes(12).toString('hex'),
        tokenType: 'refresh',
        createdAt: expired,
        expiresAt: expired,
      };
    });
    await Promise.all([
      outstanding.insertMany(records, { ordered: false }),
      blacklisted.insertMany(
        records.map((record) => ({
          _id: record._id,
          blacklistedAt: record.createdAt,
          expiresAt: record.expiresAt,
        })),
        { ordered: false },
      ),
    ]);
    done += size;
  }
  return (performance.now() - start) / 1000;
}
