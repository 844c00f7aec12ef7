import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/dev-database/free-port.js';
import { TokenStoreUnavailableError } from '../../src/errors.js';
import { createMongoTokenStore, type MongoTokenStore } from '../../src/store/mongo-token-store.js';
import { StoreOperationTimeoutError } from '../../src/store/store-errors.js';
import { freshDatabaseUri } from '../support/database.js';
import { startFreezableRelay, timeRejection, tokenRecord } from './store-fixtures.js';

const operationTimeoutMs = 500;
// Timer slack and event-loop delay under a loaded test run.
const marginMs = 400;
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** Every store method, called with valid inputs (`ready` stays resolved once it succeeded). */
function everyMethod(store: MongoTokenStore, indexesReady: boolean): [string, () => Promise<unknown>][] {
  const now = new Date();
  return [
    ...(indexesReady ? [] : [['ready', () => store.ready()] as [string, () => Promise<unknown>]]),
    ['recordOutstanding', () => store.recordOutstanding(tokenRecord())],
    ['isBlacklisted', () => store.isBlacklisted('0123456789abcdef0123456789abcdef')],
    ['blacklist', () => store.blacklist(tokenRecord())],
    ['flushExpired', () => store.flushExpired(now)],
    ['blacklistAllForUser', () => store.blacklistAllForUser('42', now)],
  ];
}

/** Runs every method at once; each must reject with TokenStoreUnavailableError within `limitMs`. */
async function expectEveryMethodUnavailable(store: MongoTokenStore, limitMs: number, indexesReady = false) {
  const outcomes = await Promise.all(
    everyMethod(store, indexesReady).map(async ([name, call]) => ({ name, ...(await timeRejection(call)) })),
  );
  for (const { name, error, elapsedMs } of outcomes) {
    expect(error, name).toBeInstanceOf(TokenStoreUnavailableError);
    const unavailable = error as TokenStoreUnavailableError;
    expect(unavailable.extensions['code'], name).toBe('TOKEN_STORE_UNAVAILABLE');
    expect(unavailable.message, name).toBe('The token store is unavailable. Try again later.');
    expect(unavailable.cause, name).toBeDefined();
    expect(JSON.stringify(unavailable.toJSON()), name).not.toMatch(/mongo|ECONNREFUSED|timed out|connect/i);
    expect(elapsedMs, name).toBeLessThan(limitMs);
  }
  return outcomes;
}

describe('an unavailable database', () => {
  it('fails every method when nothing listens on the port (connection still trying)', async () => {
    const port = await findFreePort();
    const connection = mongoose.createConnection(`mongodb://127.0.0.1:${port}/none`, {
      // Longer than operationTimeoutMs, so the store's own deadline is what ends the wait.
      serverSelectionTimeoutMS: 2000,
    });
    connection.asPromise().catch(() => undefined);
    cleanups.push(() => connection.close(true));
    const store = createMongoTokenStore(connection, { operationTimeoutMs });
    await expectEveryMethodUnavailable(store, operationTimeoutMs + marginMs);
  });

  it('fails every method at once on a connection that was never opened', async () => {
    const store = createMongoTokenStore(mongoose.createConnection(), { operationTimeoutMs: 5000 });
    await expectEveryMethodUnavailable(store, marginMs);
  });

  it('fails every method at once after the connection was closed', async () => {
    const connection = await mongoose.createConnection(freshDatabaseUri('closed')).asPromise();
    const store = createMongoTokenStore(connection, { operationTimeoutMs: 5000 });
    await store.recordOutstanding(tokenRecord());
    await connection.close();
    await expectEveryMethodUnavailable(store, marginMs, true);
  });

  it('waits for a connection that is still opening instead of failing', async () => {
    const connection = mongoose.createConnection(freshDatabaseUri('opening'));
    cleanups.push(() => connection.dropDatabase().then(() => connection.close()));
    const store = createMongoTokenStore(connection, { operationTimeoutMs: 5000 });
    expect(connection.readyState).toBe(2);
    const record = tokenRecord();
    expect(await store.blacklist(record)).toBe(true);
    expect(await store.isBlacklisted(record.jti)).toBe(true);
  });

  it('retries index creation once the connection opens', async () => {
    const connection = mongoose.createConnection();
    const store = createMongoTokenStore(connection, { operationTimeoutMs });
    await expect(store.ready()).rejects.toBeInstanceOf(TokenStoreUnavailableError);
    await connection.openUri(freshDatabaseUri('late'));
    cleanups.push(() => connection.dropDatabase().then(() => connection.close()));
    const record = tokenRecord();
    expect(await store.blacklist(record)).toBe(true);
    expect(await store.isBlacklisted(record.jti)).toBe(true);
  });
});

describe('a database that stops answering', () => {
  async function frozenStore(options: { operationTimeoutMs?: number; readyFirst: boolean }) {
    const relay = await startFreezableRelay(freshDatabaseUri('frozen'));
    const connection = await mongoose.createConnection(relay.uri).asPromise();
    cleanups.push(
      () => connection.close(true),
      () => relay.close(),
    );
    const store = createMongoTokenStore(connection, options);
    if (options.readyFirst) await store.ready();
    relay.freeze();
    return store;
  }

  it.each([true, false])(
    'fails every method within operationTimeoutMs (indexes ready: %s)',
    async (readyFirst) => {
      const store = await frozenStore({ operationTimeoutMs, readyFirst });
      const outcomes = await expectEveryMethodUnavailable(store, operationTimeoutMs + marginMs, readyFirst);
      for (const { name, error, elapsedMs } of outcomes) {
        // The client-side deadline ended the wait: nothing else would for 30 s.
        expect((error as Error).cause, name).toBeInstanceOf(StoreOperationTimeoutError);
        expect(elapsedMs, name).toBeGreaterThanOrEqual(operationTimeoutMs - 5);
      }
    },
  );

  it('fails every method within the default 5 s', { timeout: 15_000 }, async () => {
    const store = await frozenStore({ readyFirst: true });
    const outcomes = await expectEveryMethodUnavailable(store, 5000 + marginMs, true);
    for (const { elapsedMs } of outcomes) expect(elapsedMs).toBeGreaterThanOrEqual(4995);
  });
});
