import type { Connection } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMongoTokenStore } from '../../src/store/mongo-token-store.js';
import { connectFreshDatabase } from '../support/database.js';
import { documentsOf, tokenRecord } from './store-fixtures.js';

let connection: Connection;

beforeAll(async () => {
  connection = await connectFreshDatabase('race');
});

// The exactly-once rotation primitive: of N concurrent blacklist() calls for one token, one wins.
describe.each([2, 10, 20, 50])('%i concurrent blacklist() calls for one token', (calls) => {
  it.each([
    ['a recorded token', true],
    ['a token never recorded', false],
  ])('of %s: exactly one returns true, one outstanding and one blacklisted record', async (_, recorded) => {
    const outstanding = `o_${calls}_${recorded}`;
    const blacklisted = `b_${calls}_${recorded}`;
    const store = createMongoTokenStore(connection, {
      outstandingCollection: outstanding,
      blacklistedCollection: blacklisted,
    });
    const record = tokenRecord();
    if (recorded) await store.recordOutstanding(record);
    // Each caller has its own store object, as separate server processes would.
    const stores = Array.from({ length: calls }, () =>
      createMongoTokenStore(connection, {
        outstandingCollection: outstanding,
        blacklistedCollection: blacklisted,
      }),
    );
    const results = await Promise.all(stores.map((each) => each.blacklist(record)));
    expect(results.filter((created) => created)).toHaveLength(1);
    expect(results.filter((created) => !created)).toHaveLength(calls - 1);
    const [outstandingDocs, blacklistedDocs] = await Promise.all([
      documentsOf(connection, outstanding),
      documentsOf(connection, blacklisted),
    ]);
    expect(outstandingDocs.map((document) => document['_id'])).toEqual([record.jti]);
    expect(blacklistedDocs.map((document) => document['_id'])).toEqual([record.jti]);
  });
});
