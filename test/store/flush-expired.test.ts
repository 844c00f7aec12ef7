import type { Connection } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { flushExpiredTokens } from '../../src/store/flush-expired-tokens.js';
import { createMongoTokenStore, type MongoTokenStore } from '../../src/store/mongo-token-store.js';
import type { OutstandingTokenRecord } from '../../src/store/token-store.js';
import { connectFreshDatabase } from '../support/database.js';
import { documentsOf, tokenRecord } from './store-fixtures.js';

const now = new Date('2030-06-01T00:00:00Z');
const hour = 60 * 60 * 1000;
let connection: Connection;

beforeAll(async () => {
  connection = await connectFreshDatabase('flush');
});

/**
 * The fixture: 6 outstanding tokens, 2 of them already expired; 4 blacklisted, 2 of
 * those expired. Returns the jtis expected to remain.
 */
async function seed(store: MongoTokenStore) {
  const expiredAt = new Date(now.getTime() - hour);
  const liveUntil = new Date(now.getTime() + hour);
  const make = (index: number, expiresAt: Date): OutstandingTokenRecord =>
    tokenRecord({ createdAt: new Date(expiresAt.getTime() - 24 * hour + index), expiresAt });
  const expired = [make(0, expiredAt), make(1, expiredAt)];
  const live = [
    make(2, liveUntil),
    make(3, liveUntil),
    make(4, new Date(liveUntil.getTime() + hour)),
    make(5, liveUntil),
  ];
  for (const record of [...expired, ...live]) await store.recordOutstanding(record);
  for (const record of [...expired, live[0]!, live[1]!]) expect(await store.blacklist(record)).toBe(true);
  return {
    remainingOutstanding: live.map((record) => record.jti),
    remainingBlacklisted: [live[0]!.jti, live[1]!.jti],
  };
}

const jtisOf = async (collection: string) =>
  (await documentsOf(connection, collection)).map((document) => document['_id']).sort();

describe('flushExpired', () => {
  it('leaves 4 outstanding and 2 blacklisted records with the right jtis', async () => {
    const store = createMongoTokenStore(connection, {
      outstandingCollection: 'o_107',
      blacklistedCollection: 'b_107',
    });
    const expected = await seed(store);
    expect(await store.flushExpired(now)).toEqual({ outstanding: 2, blacklisted: 2 });
    expect(await jtisOf('o_107')).toEqual([...expected.remainingOutstanding].sort());
    expect(await jtisOf('b_107')).toEqual([...expected.remainingBlacklisted].sort());
    for (const jti of expected.remainingBlacklisted) expect(await store.isBlacklisted(jti)).toBe(true);
    expect(await store.flushExpired(now)).toEqual({ outstanding: 0, blacklisted: 0 });
  });

  it('deletes a record whose expiry is exactly now, and keeps one a millisecond later', async () => {
    const store = createMongoTokenStore(connection, {
      outstandingCollection: 'o_edge',
      blacklistedCollection: 'b_edge',
    });
    const atNow = tokenRecord({ expiresAt: now });
    const later = tokenRecord({ expiresAt: new Date(now.getTime() + 1) });
    await store.blacklist(atNow);
    await store.blacklist(later);
    expect(await store.flushExpired(now)).toEqual({ outstanding: 1, blacklisted: 1 });
    expect(await jtisOf('o_edge')).toEqual([later.jti]);
    expect(await jtisOf('b_edge')).toEqual([later.jti]);
  });
});

describe('flushExpiredTokens', () => {
  it('flushes the named collections and returns the counts', async () => {
    const store = createMongoTokenStore(connection, {
      outstandingCollection: 'o_fn',
      blacklistedCollection: 'b_fn',
    });
    const expected = await seed(store);
    const result = await flushExpiredTokens({
      connection,
      now,
      outstandingCollection: 'o_fn',
      blacklistedCollection: 'b_fn',
    });
    expect(result).toEqual({ outstanding: 2, blacklisted: 2, families: 0 });
    expect(await jtisOf('o_fn')).toEqual([...expected.remainingOutstanding].sort());
  });

  it('uses the current time and the default collections when not told otherwise', async () => {
    const store = createMongoTokenStore(connection);
    const past = tokenRecord({ createdAt: new Date(Date.now() - 48 * hour) });
    const future = tokenRecord({ createdAt: new Date(Date.now() - hour) });
    await store.blacklist(past);
    await store.recordOutstanding(future);
    expect(await flushExpiredTokens({ connection })).toEqual({ outstanding: 1, blacklisted: 1, families: 0 });
    expect(await jtisOf('outstanding_tokens')).toEqual([future.jti]);
  });
});

describe('flushExpired in batches', () => {
  it.each([
    [7, 3, 3],
    [6, 3, 3],
    [2, 1, 4],
  ])(
    'deletes all %i expired records with flushBatchSize %i, keeping %i live ones',
    async (expiredCount, batch, liveCount) => {
      const suffix = `${expiredCount}_${batch}`;
      const store = createMongoTokenStore(connection, {
        outstandingCollection: `o_batch_${suffix}`,
        blacklistedCollection: `b_batch_${suffix}`,
        flushBatchSize: batch,
      });
      const records = Array.from({ length: expiredCount + liveCount }, (_, index) =>
        tokenRecord({
          jti: `batch-${suffix}-${index}`,
          expiresAt: new Date(now.getTime() + (index < expiredCount ? -hour : hour)),
        }),
      );
      for (const record of records) expect(await store.blacklist(record)).toBe(true);
      expect(await store.flushExpired(now)).toEqual({ outstanding: expiredCount, blacklisted: expiredCount });
      const live = records
        .slice(expiredCount)
        .map((record) => record.jti)
        .sort();
      expect(await jtisOf(`o_batch_${suffix}`)).toEqual(live);
      expect(await jtisOf(`b_batch_${suffix}`)).toEqual(live);
    },
  );

  it('deletes batch by batch, oldest first, never more than the batch size at once (ties split by _id)', async () => {
    const store = createMongoTokenStore(connection, {
      outstandingCollection: 'o_ranges',
      blacklistedCollection: 'b_ranges',
      flushBatchSize: 3,
    });
    // Expiry in hours before now: distinct instants, and a run of five at one instant.
    const hoursAgo = [9, 8, 7, 7, 7, 7, 7, 6, 5, 1];
    const records = hoursAgo.map((hours, index) =>
      tokenRecord({ jti: `range-${index}`, expiresAt: new Date(now.getTime() - hours * hour) }),
    );
    const live = tokenRecord({ expiresAt: new Date(now.getTime() + hour) });
    for (const record of [...records, live]) await store.recordOutstanding(record);
    const progress: { collection: string; deleted: number }[] = [];
    const result = await store.flushExpired(now, (entry) => progress.push(entry));
    expect(result).toEqual({ outstanding: 10, blacklisted: 0 });
    const counts = progress
      .filter((entry) => entry.collection === 'outstanding')
      .map((entry) => entry.deleted);
    // Every step deleted between 1 and 3 records, and the last one finished the flush.
    const steps = counts.map((count, index) => count - (counts[index - 1] ?? 0));
    expect(steps.every((step) => step >= 1 && step <= 3)).toBe(true);
    expect(counts.at(-1)).toBe(10);
    expect(steps.length).toBeGreaterThanOrEqual(4);
    expect(await jtisOf('o_ranges')).toEqual([live.jti]);
  });

  it('refuses a batch size FerretDB or the deadline could not handle', () => {
    for (const flushBatchSize of [0, 1.5, 30_001]) {
      expect(() => createMongoTokenStore(connection, { flushBatchSize })).toThrow(/flushBatchSize/);
    }
  });

  // One deleteMany matching more than 32,766 documents fails on FerretDB v1 (SQLite: too many SQL
  // variables); batches keep every delete under that.
  it('flushes 33,000 expired records', async () => {
    const store = createMongoTokenStore(connection, {
      outstandingCollection: 'o_many',
      blacklistedCollection: 'b_many',
      operationTimeoutMs: 60_000, // a hang guard per batch: this test is about batching, not speed
    });
    await store.ready();
    const expiresAt = new Date(now.getTime() - hour);
    const documents = Array.from({ length: 33_000 }, (_, index) => ({
      _id: `many-${index}`,
      user: null,
      tokenType: 'refresh',
      createdAt: expiresAt,
      expiresAt,
    }));
    for (let start = 0; start < documents.length; start += 5000) {
      await connection.collection<{ _id: string }>('o_many').insertMany(documents.slice(start, start + 5000));
    }
    expect(await store.flushExpired(now)).toEqual({ outstanding: 33_000, blacklisted: 0 });
    expect(await connection.collection('o_many').countDocuments()).toBe(0);
  }, 300_000);
});
