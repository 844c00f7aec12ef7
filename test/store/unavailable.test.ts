import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/dev-database/free-port.js';
import { TokenStoreUnavailableError } from '../../src/errors.js';
import { createMongoTokenStore, type MongoTokenStore } from '../../src/store/mongo-token-store.js';
import { StoreOperationTimeoutError } from '../../src/store/store-errors.js';
import { freshDatabaseUri } from '../support/database.js';
import { rejectionOf, startFreezableRelay, tokenRecord } from './store-fixtures.js';

const operationTimeoutMs = 500;
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

/**
 * Runs every method at once; each must reject with TokenStoreUnavailableError. What ended the wait is
 * told by the cause (the store's deadline or not), never by timing it: a busy machine is slow.
 */
async function expectEveryMethodUnavailable(store: MongoTokenStore, indexesReady = false) {
  const outcomes = await Promise.all(
    everyMethod(store, indexesReady).map(async ([name, call]) => ({ name, ...(await rejectionOf(call)) })),
  );
  for (const { name, error } of outcomes) {
    expect(error, name).toBeInstanceOf(TokenStoreUnavailableError);
    const unavailable = error as TokenStoreUnavailableError;
    expect(unavailable.extensions['code'], name).toBe('TOKEN_STORE_UNAVAILABLE');
    expect(unavailable.message, name).toBe('The token store is unavailable. Try again later.');
    expect(unavailable.cause, name).toBeDefined();
    expect(JSON.stringify(unavailable.toJSON()), name).not.toMatch(/mongo|ECONNREFUSED|timed out|connect/i);
  }
  return outcomes;
}

/**
 * Each outcome's error was caused by the store's own deadline of `timeoutMs` (its message names it).
 * No elapsed-time bound: Node times a timer from the event loop's cached clock, so on a busy machine
 * even a lower bound can miss by a few milliseconds.
 */
function expectEndedByDeadline(outcomes: { name: string; error: unknown }[], timeoutMs: number) {
  for (const { name, error } of outcomes) {
    const cause = (error as Error).cause;
    expect(cause, name).toBeInstanceOf(StoreOperationTimeoutError);
    expect((cause as Error).message, name).toBe(
      `token store operation did not finish within ${timeoutMs} ms`,
    );
  }
}

/** Each outcome failed on its own, without waiting for the store's deadline. */
function expectFailedBeforeDeadline(outcomes: { name: string; error: unknown }[]) {
  for (const { name, error } of outcomes) {
    expect((error as Error).cause, name).not.toBeInstanceOf(StoreOperationTimeoutError);
  }
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
    expectEndedByDeadline(await expectEveryMethodUnavailable(store), operationTimeoutMs);
  });

  it('fails every method at once on a connection that was never opened', async () => {
    const store = createMongoTokenStore(mongoose.createConnection(), { operationTimeoutMs: 5000 });
    expectFailedBeforeDeadline(await expectEveryMethodUnavailable(store));
  });

  it('fails every method at once after the connection was closed', async () => {
    const connection = await mongoose.createConnection(freshDatabaseUri('closed')).asPromise();
    const store = createMongoTokenStore(connection, { operationTimeoutMs: 5000 });
    await store.recordOutstanding(tokenRecord());
    await connection.close();
    expectFailedBeforeDeadline(await expectEveryMethodUnavailable(store, true));
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
    // A hang guard, not the deadline under test: index creation and the writes below take their time
    // on a busy machine, and on a never-opened connection ready() fails at once, not at the deadline.
    const store = createMongoTokenStore(connection, { operationTimeoutMs: 30_000 });
    await expect(store.ready()).rejects.toBeInstanceOf(TokenStoreUnavailableError);
    await connection.openUri(freshDatabaseUri('late'));
    cleanups.push(() => connection.dropDatabase().then(() => connection.close()));
    const record = tokenRecord();
    expect(await store.blacklist(record)).toBe(true);
    expect(await store.isBlacklisted(record.jti)).toBe(true);
  });
});

/**
 * `store.ready()`, retried: on a busy machine index creation can outlast a short operationTimeoutMs,
 * and a retry finds the indexes the server went on to build. The test's timeout bounds the attempts.
 */
async function readyEventually(store: MongoTokenStore) {
  for (;;) {
    try {
      return await store.ready();
    } catch (error) {
      if (!((error as Error).cause instanceof StoreOperationTimeoutError)) throw error;
    }
  }
}

describe('a database that stops answering', () => {
  async function frozenStore(options: { operationTimeoutMs?: number; readyFirst: boolean }) {
    const relay = await startFreezableRelay(freshDatabaseUri('frozen'));
    const connection = await mongoose.createConnection(relay.uri).asPromise();
    cleanups.push(
      () => connection.close(true),
      () => relay.close(),
    );
    const store = createMongoTokenStore(connection, options);
    if (options.readyFirst) await readyEventually(store);
    relay.freeze();
    return store;
  }

  it.each([true, false])(
    'fails every method when operationTimeoutMs runs out (indexes ready: %s)',
    async (readyFirst) => {
      const store = await frozenStore({ operationTimeoutMs, readyFirst });
      // The client-side deadline ended the wait: nothing else would for 30 s.
      expectEndedByDeadline(await expectEveryMethodUnavailable(store, readyFirst), operationTimeoutMs);
    },
  );

  it('fails every method after the default 5 s', async () => {
    const store = await frozenStore({ readyFirst: true });
    expectEndedByDeadline(await expectEveryMethodUnavailable(store, true), 5000);
  });
});
