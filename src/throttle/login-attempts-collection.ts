import { type Collection, type Connection, type Model, Schema } from 'mongoose';
import { indexedOperations } from '../store/indexed-operations.js';
import { deleteExpiredBatch, type ExpiringDocument } from '../store/range-flush.js';
import { isDuplicateKeyError } from '../store/store-errors.js';
import { waitForConnection } from '../store/token-indexes.js';

/**
 * One counted login attempt (a "ticket") of one counter: per normalized username (`u:` and a
 * SHA-256 of it) or per client address (`a:` and the address). Ticket `n` of a counter has `_id`
 * `<key>#<n>`: the unique `_id` is what makes counting exact, because an insert is the one write
 * that is atomic on every server this store supports (FerretDB v1 applies `$inc` and conditional
 * updates as read-then-write, so concurrent increments get lost there). An attempt keeps its ticket
 * when it fails and gives it back when it succeeds; a ticket is forgotten at `expiresAt`.
 */
export interface LoginAttemptDocument {
  _id: string;
  key: string;
  n: number;
  at: Date;
  expiresAt: Date;
}

/** How one kind of counter (username or address) throttles. Durations in milliseconds. */
export interface CounterPolicy {
  /** Failures let through before the first wait. */
  readonly limit: number;
  /** The wait after `limit` failures; doubled by each further failure. */
  readonly waitMs: number;
  readonly maxWaitMs: number;
  /** A failure is forgotten this long after it happened. */
  readonly resetAfterMs: number;
}

export type Reservation =
  | { readonly allowed: true; readonly ticket: string }
  | { readonly allowed: false; readonly retryAt: Date };

/** When a counter holding `failures` (>= limit) tickets, the last taken at `lastAt`, lets the next attempt through. */
export function retryAtOf(failures: number, lastAt: Date, policy: CounterPolicy): Date {
  const doublings = Math.min(failures - policy.limit, 40);
  const wait = Math.min(policy.maxWaitMs, policy.waitMs * 2 ** doublings);
  return new Date(lastAt.getTime() + wait);
}

// An attempt that loses the insert of a ticket to a concurrent one counts that ticket and tries the
// next, so after `limit` losses the counter is full and the attempt refused; the bound is a guard.
const extraRounds = 8;

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
      key: { type: String, required: true },
      n: { type: Number, required: true },
      at: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
    },
    { ...schemaOptions, collection },
  );
  return connection.model<LoginAttemptDocument>(name, schema);
}

/** The login-attempt counters in MongoDB; every method is bounded by `operationTimeoutMs`. */
export interface LoginAttemptsCollection {
  /**
   * Takes the next ticket of `key` unless the key must wait. Exact under concurrency: the decision is
   * made from the counter's tickets as read and holds only if the insert of ticket `max + 1`
   * succeeds; an attempt that loses that insert counts the concurrent ticket and decides again for
   * the next number.
   */
  reserve(key: string, policy: CounterPolicy, now: Date): Promise<Reservation>;
  /** Gives a ticket back (its attempt succeeded, or another counter refused it before any check). */
  refund(ticket: string): Promise<void>;
  /** Forgets every ticket of `key` (a successful login resets its username's count). */
  reset(key: string): Promise<void>;
  /** Deletes tickets whose `expiresAt` is at or before `now`; returns how many. */
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
  const { run } = indexedOperations(operationTimeoutMs, async () => {
    await waitForConnection(connection);
    await Promise.all([
      collection.createIndex({ key: 1, n: -1 }, { maxTimeMS }),
      collection.createIndex({ expiresAt: 1 }, { maxTimeMS }),
    ]);
  });

  async function reserve(key: string, policy: CounterPolicy, now: Date): Promise<Reservation> {
    // Newest first; expired tickets still fix the numbering but no longer count.
    const tickets = await collection
      .find({ key: { $eq: key } }, { projection: { n: 1, at: 1, expiresAt: 1 }, sort: { n: -1 }, maxTimeMS })
      .toArray();
    const live = tickets.filter((ticket) => ticket.expiresAt > now);
    let count = live.length;
    let lastAt = live[0]?.at;
    let n = (tickets[0]?.n ?? 0) + 1;
    for (let round = 0; round < policy.limit + extraRounds; round++) {
      if (lastAt !== undefined && count >= policy.limit) {
        const retryAt = retryAtOf(count, lastAt, policy);
        if (now < retryAt) return { allowed: false, retryAt };
      }
      const ticket = `${key}#${n}`;
      try {
        await collection.insertOne(
          { _id: ticket, key, n, at: now, expiresAt: new Date(now.getTime() + policy.resetAfterMs) },
          { maxTimeMS },
        );
        return { allowed: true, ticket };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // A concurrent attempt took ticket n just now: count it without reading again (an upper
        // bound: tickets given back meanwhile are still counted) and decide for ticket n + 1.
        count += 1;
        lastAt = now;
        n += 1;
      }
    }
    return { allowed: false, retryAt: new Date(now.getTime() + 1000) };
  }

  return {
    reserve: (key, policy, now) => run(() => reserve(key, policy, now)),
    refund: (ticket) =>
      run(async () => {
        await collection.deleteOne({ _id: { $eq: ticket } }, { maxTimeMS });
      }),
    reset: (key) =>
      run(async () => {
        await collection.deleteMany({ key: { $eq: key } }, { maxTimeMS });
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
