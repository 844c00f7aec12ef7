import type { Connection } from 'mongoose';
import { Schema } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImproperlyConfiguredError } from '../../src/errors.js';
import { createMongoTokenStore } from '../../src/store/mongo-token-store.js';
import { connectFreshDatabase } from '../support/database.js';
import { isFerretDb, tokenRecord } from './store-fixtures.js';

let connection: Connection;
let ferretDb: boolean;

beforeAll(async () => {
  connection = await connectFreshDatabase('indexes');
  ferretDb = await isFerretDb(connection);
});

interface IndexInfo {
  key: Record<string, number>;
  unique?: boolean;
  expireAfterSeconds?: number;
}

async function indexesOf(collection: string): Promise<Record<string, IndexInfo>> {
  const list = (await connection.collection(collection).listIndexes().toArray()) as unknown as IndexInfo[];
  return Object.fromEntries(list.map((index) => [JSON.stringify(index.key), index]));
}

describe('indexes', () => {
  it('ready() creates the user and plain expiry indexes; the jti is _id', async () => {
    const store = createMongoTokenStore(connection, {
      outstandingCollection: 'o_ix',
      blacklistedCollection: 'b_ix',
    });
    await store.ready();
    const outstanding = await indexesOf('o_ix');
    expect(Object.keys(outstanding).sort()).toEqual(
      ['{"_id":1}', '{"expiresAt":1}', '{"user":1,"expiresAt":1}'].sort(),
    );
    expect(outstanding['{"expiresAt":1}']?.unique).toBeFalsy();
    expect(outstanding['{"expiresAt":1}']?.expireAfterSeconds).toBeUndefined();
    const blacklisted = await indexesOf('b_ix');
    expect(Object.keys(blacklisted).sort()).toEqual(['{"_id":1}', '{"expiresAt":1}'].sort());
    expect(blacklisted['{"expiresAt":1}']?.unique).toBeFalsy();
  });

  it.each([
    ['outstanding', 'o_uq'],
    ['blacklisted', 'b_uq'],
  ])(
    'the server refuses a second %s record with the same jti (duplicate key 11000)',
    async (_, collection) => {
      const store = createMongoTokenStore(connection, {
        outstandingCollection: 'o_uq',
        blacklistedCollection: 'b_uq',
      });
      const record = tokenRecord();
      await store.blacklist(record);
      const raw = connection.collection<{ _id: string }>(collection);
      await expect(raw.insertOne({ _id: record.jti })).rejects.toMatchObject({
        code: 11000,
      });
    },
  );

  it('creates indexes once per store, and concurrent ready() calls share the work', async () => {
    const store = createMongoTokenStore(connection, {
      outstandingCollection: 'o_once',
      blacklistedCollection: 'b_once',
    });
    const commands: string[] = [];
    // The model shares this collection object (mongoose caches one per name): count its createIndex calls.
    const collection = connection.collection('o_once');
    const original = collection.createIndex.bind(collection);
    collection.createIndex = ((...args: Parameters<typeof original>) => {
      commands.push('createIndex');
      return original(...args);
    }) as typeof collection.createIndex;
    try {
      await Promise.all([store.ready(), store.ready(), store.isBlacklisted('x'), store.ready()]);
      await store.ready();
    } finally {
      collection.createIndex = original as typeof collection.createIndex;
    }
    expect(commands.filter((name) => name === 'createIndex')).toHaveLength(2);
  });
});

describe('models', () => {
  it('are built once per connection, under names no user model takes', async () => {
    const before = Object.keys(connection.models).length;
    const userModel = connection.model(
      'OutstandingToken',
      new Schema({ title: String }),
      'my_outstanding_tokens',
    );
    createMongoTokenStore(connection);
    createMongoTokenStore(connection);
    const added = Object.keys(connection.models).filter((name) => name !== 'OutstandingToken');
    expect(Object.keys(connection.models).length - before).toBe(3);
    expect(added.every((name) => name.startsWith('pothos-plugin-simple-jwt:'))).toBe(true);
    expect(connection.models['OutstandingToken']).toBe(userModel);
  });
});

describe('ttlIndexes', () => {
  it('adds expireAfterSeconds 0 to both expiry indexes on MongoDB', async (context) => {
    context.skip(ferretDb, 'FerretDB v1 does not implement TTL indexes (see the FerretDB test below)');
    const store = createMongoTokenStore(connection, {
      outstandingCollection: 'o_ttl',
      blacklistedCollection: 'b_ttl',
      ttlIndexes: true,
    });
    await store.ready();
    expect((await indexesOf('o_ttl'))['{"expiresAt":1}']?.expireAfterSeconds).toBe(0);
    expect((await indexesOf('b_ttl'))['{"expiresAt":1}']?.expireAfterSeconds).toBe(0);
  });

  it('fails ready() with ImproperlyConfiguredError naming ttlIndexes on FerretDB', async (context) => {
    context.skip(!ferretDb, 'the server supports TTL indexes (tested above)');
    const store = createMongoTokenStore(connection, {
      outstandingCollection: 'o_ttl_f',
      blacklistedCollection: 'b_ttl_f',
      ttlIndexes: true,
    });
    const failure = store.ready();
    await expect(failure).rejects.toBeInstanceOf(ImproperlyConfiguredError);
    await expect(failure).rejects.toMatchObject({ setting: 'ttlIndexes' });
    await expect(store.isBlacklisted('x')).rejects.toBeInstanceOf(ImproperlyConfiguredError);
  });
});
