import type { Connection } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImproperlyConfiguredError } from '../../src/errors.js';
import { createMongoTokenStore, type MongoTokenStore } from '../../src/store/mongo-token-store.js';
import { connectFreshDatabase } from '../support/database.js';
import { documentsOf, newJti, tokenRecord } from './store-fixtures.js';

const blacklistedAt = new Date('2030-01-01T12:00:00Z');
let connection: Connection;
let collectionSeq = 0;

/** A store on collections of its own, so every test starts empty. */
function freshStore(): { store: MongoTokenStore; outstanding: string; blacklisted: string } {
  collectionSeq += 1;
  const outstanding = `outstanding_${collectionSeq}`;
  const blacklisted = `blacklisted_${collectionSeq}`;
  const store = createMongoTokenStore(connection, {
    outstandingCollection: outstanding,
    blacklistedCollection: blacklisted,
    clock: () => blacklistedAt,
  });
  return { store, outstanding, blacklisted };
}

beforeAll(async () => {
  connection = await connectFreshDatabase('store');
});

describe('recordOutstanding', () => {
  it.each(['refresh', 'sliding'])(
    'stores exactly one %s record with its fields and no token string',
    async (tokenType) => {
      const { store, outstanding, blacklisted } = freshStore();
      const record = tokenRecord({ tokenType });
      await store.recordOutstanding(record);
      const documents = await documentsOf(connection, outstanding);
      expect(documents).toHaveLength(1);
      expect(documents[0]).toEqual({
        _id: record.jti,
        user: '42',
        tokenType,
        createdAt: record.createdAt,
        expiresAt: record.expiresAt,
      });
      expect(await documentsOf(connection, blacklisted)).toHaveLength(0);
      expect(await store.isBlacklisted(record.jti)).toBe(false);
    },
  );

  it('stores a token that names no user with user null', async () => {
    const { store, outstanding } = freshStore();
    await store.recordOutstanding(tokenRecord({ userId: null }));
    expect((await documentsOf(connection, outstanding))[0]?.['user']).toBeNull();
  });
});

describe('blacklist', () => {
  it('returns true, then false; one outstanding and one blacklisted record', async () => {
    const { store, outstanding, blacklisted } = freshStore();
    const record = tokenRecord();
    await store.recordOutstanding(record);
    expect(await store.blacklist(record)).toBe(true);
    expect(await store.isBlacklisted(record.jti)).toBe(true);
    expect(await store.blacklist(record)).toBe(false);
    const [outstandingDocs, blacklistedDocs] = await Promise.all([
      documentsOf(connection, outstanding),
      documentsOf(connection, blacklisted),
    ]);
    expect(outstandingDocs).toHaveLength(1);
    expect(blacklistedDocs).toHaveLength(1);
    // The one-to-one relation is the shared key: both records have the jti as _id.
    expect(outstandingDocs[0]?.['_id']).toBe(record.jti);
    expect(blacklistedDocs[0]).toEqual({
      _id: record.jti,
      blacklistedAt,
      expiresAt: record.expiresAt,
    });
  });

  it('creates the outstanding record of a token that was never recorded', async () => {
    const { store, outstanding } = freshStore();
    await store.recordOutstanding(tokenRecord());
    const unrecorded = tokenRecord({ userId: '7', tokenType: 'sliding' });
    expect(await store.blacklist(unrecorded)).toBe(true);
    const documents = await documentsOf(connection, outstanding);
    expect(documents).toHaveLength(2);
    expect(documents.find((document) => document['_id'] === unrecorded.jti)).toMatchObject({
      user: '7',
      tokenType: 'sliding',
      createdAt: unrecorded.createdAt,
      expiresAt: unrecorded.expiresAt,
    });
    expect(await store.isBlacklisted(unrecorded.jti)).toBe(true);
  });

  it('keeps the recorded createdAt and user of an existing record', async () => {
    const { store, outstanding } = freshStore();
    const record = tokenRecord({ userId: '42' });
    await store.recordOutstanding(record);
    const parsedLater = { ...record, userId: '99', createdAt: new Date('2030-01-01T06:00:00Z') };
    expect(await store.blacklist(parsedLater)).toBe(true);
    expect((await documentsOf(connection, outstanding))[0]).toMatchObject({
      user: '42',
      createdAt: record.createdAt,
    });
  });

  it('stores a user id that is an e-mail address as given', async () => {
    const { store, outstanding } = freshStore();
    const record = tokenRecord({ userId: 'ada@example.com' });
    await store.recordOutstanding(record);
    expect(await store.blacklist(record)).toBe(true);
    expect((await documentsOf(connection, outstanding))[0]?.['user']).toBe('ada@example.com');
  });

  it('still blacklists, and stays blacklisted, after the user is deleted', async () => {
    const { store, outstanding } = freshStore();
    const users = connection.collection('users');
    const { insertedId } = await users.insertOne({ username: 'ada' });
    const first = tokenRecord({ userId: insertedId.toHexString() });
    const second = tokenRecord({ userId: insertedId.toHexString() });
    await store.recordOutstanding(first);
    await store.recordOutstanding(second);
    expect(await store.blacklist(first)).toBe(true);
    await users.deleteOne({ _id: insertedId });
    expect(await store.blacklist(second)).toBe(true);
    expect(await store.isBlacklisted(first.jti)).toBe(true);
    expect(await store.isBlacklisted(second.jti)).toBe(true);
    const documents = await documentsOf(connection, outstanding);
    expect(documents.map((document) => document['user']).sort()).toEqual([
      insertedId.toHexString(),
      insertedId.toHexString(),
    ]);
  });
});

describe('isBlacklisted', () => {
  it('sees a blacklist entry written by someone else and nothing for other jtis', async () => {
    const { store, outstanding, blacklisted } = freshStore();
    const record = tokenRecord();
    await store.ready();
    await connection.collection<{ _id: string }>(outstanding).insertOne({ _id: record.jti });
    await connection.collection<{ _id: string }>(blacklisted).insertOne({ _id: record.jti });
    expect(await store.isBlacklisted(record.jti)).toBe(true);
    expect(await store.isBlacklisted(newJti())).toBe(false);
  });

  it('rejects a query operator in place of a jti instead of sending it to the database', async () => {
    const { store } = freshStore();
    await store.blacklist(tokenRecord());
    const operator = { $ne: 'x' } as unknown as string;
    await expect(store.isBlacklisted(operator)).rejects.toBeInstanceOf(TypeError);
    await expect(store.blacklistAllForUser(operator, new Date())).rejects.toBeInstanceOf(TypeError);
    await expect(store.recordOutstanding({ ...tokenRecord(), jti: operator })).rejects.toBeInstanceOf(
      TypeError,
    );
  });
});

describe('blacklistAllForUser', () => {
  it("blacklists the user's unexpired tokens not yet blacklisted, once", async () => {
    const { store } = freshStore();
    const now = new Date('2030-01-01T12:00:00Z');
    const live = [tokenRecord(), tokenRecord(), tokenRecord()];
    const expired = tokenRecord({ expiresAt: now });
    const otherUser = tokenRecord({ userId: '43' });
    for (const record of [...live, expired, otherUser]) await store.recordOutstanding(record);
    expect(await store.blacklist(live[0]!)).toBe(true);
    expect(await store.blacklistAllForUser('42', now)).toBe(2);
    for (const record of live) expect(await store.isBlacklisted(record.jti)).toBe(true);
    expect(await store.isBlacklisted(expired.jti)).toBe(false);
    expect(await store.isBlacklisted(otherUser.jti)).toBe(false);
    expect(await store.blacklistAllForUser('42', now)).toBe(0);
    expect(await store.blacklistAllForUser('nobody', now)).toBe(0);
  });

  it('counts only its own inserts when racing blacklist() calls for the same tokens', async () => {
    const { store } = freshStore();
    const now = new Date('2030-01-01T12:00:00Z');
    const records = Array.from({ length: 10 }, () => tokenRecord());
    for (const record of records) await store.recordOutstanding(record);
    const [all, ...single] = await Promise.all([
      store.blacklistAllForUser('42', now),
      ...records.map((record) => store.blacklist(record)),
    ]);
    expect((all as number) + single.filter((created) => created === true).length).toBe(10);
  });
});

describe('options', () => {
  it.each([
    [{ operationTimeoutMs: 0 }, 'operationTimeoutMs'],
    [{ operationTimeoutMs: 1.5 }, 'operationTimeoutMs'],
    [{ outstandingCollection: '' }, 'outstandingCollection'],
    [{ blacklistedCollection: 'a$b' }, 'blacklistedCollection'],
    [{ outstandingCollection: 'same', blacklistedCollection: 'same' }, 'blacklistedCollection'],
    [{ ttlIndexes: 'yes' as unknown as boolean }, 'ttlIndexes'],
  ])('rejects %o at creation, naming %s', (options, setting) => {
    expect(() => createMongoTokenStore(connection, options)).toThrow(ImproperlyConfiguredError);
    expect(() => createMongoTokenStore(connection, options)).toThrow(`'${setting}'`);
  });

  it('uses the default collection names', async () => {
    const store = createMongoTokenStore(connection, { clock: () => blacklistedAt });
    const record = tokenRecord();
    expect(await store.blacklist(record)).toBe(true);
    expect((await documentsOf(connection, 'outstanding_tokens')).map((document) => document['_id'])).toEqual([
      record.jti,
    ]);
    expect((await documentsOf(connection, 'blacklisted_tokens')).map((document) => document['_id'])).toEqual([
      record.jti,
    ]);
  });
});
