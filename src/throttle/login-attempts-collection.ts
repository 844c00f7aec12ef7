import { type Collection, type Connection, type Model, Schema } from 'mongoose';
import { deleteExpiredBatch, type ExpiringDocument } from '../store/range-flush.js';
import { isDuplicateKeyError, withDeadline } from '../store/store-errors.js';
import { waitForConnection } from '../store/token-indexes.js';

/**
 * One counter of failed logins: per normalized username (`u:` and a SHA-256 of it) or per client
 * address (`a:` and the address). `failures` counts attempts that were let through and did not
 * succeed (an attempt is counted when it starts and given back if it succeeds); `lastAttemptAt` is
 * when the last counted one started; the record is forgotten at `expiresAt`.
 */
export interface LoginAttemptDocument {
  _id: string;
  failures: number;
  lastAttemptAt: Date;
  expiresAt: Date;
}

/** How one kind of counter (username or address) throttles. Durations in milliseconds. */
export interface CounterPolicy {
  /** Failures let through before the first wait. */
  readonly limit: number;
  /** The wait after `limit` failures; doubled by each further failure. */
  readonly waitMs: number;
  readonly maxWaitMs: number;
  /** A counter is forgotten this long after its last counted attempt. */
  readonly resetAfterMs: number;
}

export type Reservation = { readonly allowed: true } | { readonly allowed: false; readonly retryAt: Date };

/** When a counter at `failures` (>= limit) lets the next attempt through. */
export function retryAtOf(document: LoginAttemptDocument, policy: CounterPolicy): Date {
  const doublings = Math.min(document.failures - policy.limit, 40);
  const wait = Math.min(policy.maxWaitMs, policy.waitMs * 2 ** doublings);
  return new Date(document.lastAttemptAt.getTime() + wait);
}

// Concurrent attempts that lose a compare-and-set try again; past this many rounds the attempt is
// refused (fail closed) rather than spinning.
const maxRounds = 8;

const schemaOptions = {
  bufferCommands: false,
  autoIndex: false,
  autoCreate: false,
  versionKey: false,
  strict: true,
} as const;

function modelFor(connection: Connection, collection: string): Model<LoginAttemptDocument> {
  const name = `pothos-plugin-simple-jwt:LoginAttempt:${collection}`;
  const existing = connection.models[name];
  if (existing) return existing as Model<LoginAttemptDocument>;
  const schema = new Schema<LoginAttemptDocument>(
    {
      _id: { type: String, required: true },
      failures: { type: Number, required: true },
      lastAttemptAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
    },
    { ...schemaOptions, collection },
  );
  return connection.model<LoginAttemptDocument>(name, schema);
}

/** The login-attempt counters in MongoDB; every method is bounded by `operationTimeoutMs`. */
export interface LoginAttemptsCollection {
  /**
   * Counts one attempt against `key` unless the key must wait. The counter's own atomic update
   * decides: below the limit a conditional `$inc` upsert; at or past it, a compare-and-set on the
   * exact count, so of any number of concurrent attempts exactly as many get through as the policy allows.
   */
  reserve(key: string, policy: CounterPolicy, now: Date): Promise<Reservation>;
  /** Gives back one counted attempt (it succeeded, or another counter refused it before any check). */
  refund(key: string): Promise<void>;
  /** Forgets the counter (a successful login resets its username's count). */
  reset(key: string): Promise<void>;
  /** Deletes counters whose `expiresAt` is at or before `now`; returns how many. */
  flushExpired(now: Date, batchSize?: number): Promise<number>;
}

/** The counters of collection `name` on `connection` (no transactions, no TTL index needed). */
export function createLoginAttemptsCollection(
  connection: Connection,
  name: string,
  operationTimeoutMs: number,
): LoginAttemptsCollection {
  const model = modelFor(connection, name);
  const collection = model.collection as unknown as Collection<LoginAttemptDocument>;
  const maxTimeMS = operationTimeoutMs;
  let indexed: Promise<void> | undefined;

  function run<T>(operation: () => Promise<T>): Promise<T> {
    return withDeadline(operationTimeoutMs, async (signal) => {
      indexed ??= waitForConnection(connection)
        .then(() => collection.createIndex({ expiresAt: 1 }, { maxTimeMS }))
        .then(() => undefined)
        .catch((error: unknown) => {
          indexed = undefined;
          throw error;
        });
      await indexed;
      signal.throwIfAborted();
      return operation();
    });
  }

  const counted = (now: Date, policy: CounterPolicy) => ({
    $inc: { failures: 1 },
    $max: { lastAttemptAt: now, expiresAt: new Date(now.getTime() + policy.resetAfterMs) },
  });

  async function belowLimit(key: string, policy: CounterPolicy, now: Date): Promise<boolean> {
    try {
      const result = await collection.updateOne(
        { _id: key, failures: { $lt: policy.limit } },
        counted(now, policy),
        { upsert: true, maxTimeMS },
      );
      return result.matchedCount + result.upsertedCount > 0;
    } catch (error) {
      // The counter exists at or past the limit (the upsert's insert hit its `_id`).
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async function reserveOnce(key: string, policy: CounterPolicy, now: Date): Promise<Reservation | null> {
    if (await belowLimit(key, policy, now)) return { allowed: true };
    const current = await collection.findOne({ _id: key }, { maxTimeMS });
    if (current === null || current.failures < policy.limit) return null;
    const retryAt = retryAtOf(current, policy);
    if (now < retryAt) return { allowed: false, retryAt };
    // The wait is over: one attempt may go, the one whose update still sees this exact count.
    const result = await collection.updateOne(
      { _id: key, failures: current.failures },
      counted(now, policy),
      {
        maxTimeMS,
      },
    );
    return result.matchedCount > 0 ? { allowed: true } : null;
  }

  return {
    reserve: (key, policy, now) =>
      run(async () => {
        for (let round = 0; round < maxRounds; round++) {
          const reservation = await reserveOnce(key, policy, now);
          if (reservation) return reservation;
        }
        return { allowed: false, retryAt: new Date(now.getTime() + 1000) };
      }),
    refund: (key) =>
      run(async () => {
        await collection.updateOne(
          { _id: key, failures: { $gt: 0 } },
          { $inc: { failures: -1 } },
          { maxTimeMS },
        );
      }),
    reset: (key) =>
      run(async () => {
        await collection.deleteOne({ _id: key }, { maxTimeMS });
      }),
    flushExpired: async (now, batchSize = 10_000) => {
      const expiring = collection as unknown as Collection<ExpiringDocument>;
      let deleted = 0;
      for (;;) {
        const batch = await run(() => deleteExpiredBatch(expiring, now, batchSize, maxTimeMS));
        deleted += batch.deleted;
        if (batch.last) return deleted;
      }
    },
  };
}
