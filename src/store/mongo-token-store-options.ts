import { type Clock, systemClock } from '../clock.js';
import { ImproperlyConfiguredError } from '../errors.js';
import type { OutstandingTokenRecord } from './token-store.js';

/** Options of `createMongoTokenStore`. */
export interface MongoTokenStoreOptions {
  /**
   * Collection of outstanding tokens (every refresh or sliding token issued).
   * @default 'outstanding_tokens'
   */
  outstandingCollection?: string;
  /**
   * Collection of blacklisted tokens.
   * @default 'blacklisted_tokens'
   */
  blacklistedCollection?: string;
  /**
   * Collection of token families (sessions).
   * @default 'token_families'
   */
  familyCollection?: string;
  /**
   * Upper bound, in milliseconds, on every store operation (index creation included): sent to the
   * server as `maxTimeMS` and enforced by a client-side timer. Commands are never buffered while
   * the connection is down, so a request fails with `TokenStoreUnavailableError` instead of hanging.
   * @default 5000
   */
  operationTimeoutMs?: number;
  /**
   * Also create TTL indexes on `expiresAt`, so that the server deletes expired records by itself
   * (real MongoDB only: FerretDB v1 refuses them). `flush-expired-tokens` works either way.
   * Switching this on or off for existing collections requires dropping their `expiresAt_1` index.
   * @default false
   */
  ttlIndexes?: boolean;
  /**
   * How many expired records `flushExpired` deletes per operation (each batch has its own
   * `operationTimeoutMs`). At most 30,000: FerretDB v1 refuses larger deletes.
   * @default 10000
   */
  flushBatchSize?: number;
  /**
   * Where `blacklistedAt` comes from.
   * @default systemClock
   */
  clock?: Clock;
}

/** The options after defaults and validation. */
export type ResolvedMongoTokenStoreOptions = Readonly<
  Required<Omit<MongoTokenStoreOptions, 'familyCollection'>>
>;

// setTimeout's largest delay; beyond it Node fires at once.
const maxTimerDelay = 2_147_483_647;

/** `value` when it can name a MongoDB collection. @throws ImproperlyConfiguredError naming `setting`. */
export function collectionName(setting: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ImproperlyConfiguredError(setting, 'must be a non-empty string');
  }
  if (value.includes('$') || value.includes('\0') || value.startsWith('system.')) {
    throw new ImproperlyConfiguredError(setting, `'${value}' is not a valid MongoDB collection name`);
  }
  return value;
}

/** Applies defaults and validates once, when the store is created. */
export function resolveMongoTokenStoreOptions(
  options: MongoTokenStoreOptions,
): ResolvedMongoTokenStoreOptions {
  const outstandingCollection = collectionName(
    'outstandingCollection',
    options.outstandingCollection ?? 'outstanding_tokens',
  );
  const blacklistedCollection = collectionName(
    'blacklistedCollection',
    options.blacklistedCollection ?? 'blacklisted_tokens',
  );
  if (outstandingCollection === blacklistedCollection) {
    throw new ImproperlyConfiguredError('blacklistedCollection', 'must differ from outstandingCollection');
  }
  const operationTimeoutMs = options.operationTimeoutMs ?? 5000;
  if (
    !Number.isInteger(operationTimeoutMs) ||
    operationTimeoutMs <= 0 ||
    operationTimeoutMs > maxTimerDelay
  ) {
    throw new ImproperlyConfiguredError(
      'operationTimeoutMs',
      'must be a positive whole number of milliseconds',
    );
  }
  const ttlIndexes = options.ttlIndexes ?? false;
  if (typeof ttlIndexes !== 'boolean') throw new ImproperlyConfiguredError('ttlIndexes', 'must be a boolean');
  const flushBatchSize = options.flushBatchSize ?? 10_000;
  if (!Number.isInteger(flushBatchSize) || flushBatchSize < 1 || flushBatchSize > 30_000) {
    throw new ImproperlyConfiguredError('flushBatchSize', 'must be a whole number from 1 to 30000');
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock !== 'function') throw new ImproperlyConfiguredError('clock', 'must be a function');
  return Object.freeze({
    outstandingCollection,
    blacklistedCollection,
    operationTimeoutMs,
    ttlIndexes,
    flushBatchSize,
    clock,
  });
}

/** Rejects anything but a string: store queries use `$eq`, and operators never come from input. */
export function assertString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`token store: '${name}' must be a non-empty string`);
  }
}

/** Rejects anything but a valid `Date`. */
export function assertDate(value: unknown, name: string): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError(`token store: '${name}' must be a valid Date`);
  }
}

/** Validates a record before it reaches the database (a programming error, not an outage). */
export function assertRecord(record: OutstandingTokenRecord): void {
  assertString(record.jti, 'jti');
  assertString(record.tokenType, 'tokenType');
  if (record.userId !== null) assertString(record.userId, 'userId');
  assertDate(record.createdAt, 'createdAt');
  assertDate(record.expiresAt, 'expiresAt');
}
