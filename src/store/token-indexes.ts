import type { Collection, Connection, mongo } from 'mongoose';
import { ImproperlyConfiguredError, TokenStoreUnavailableError } from '../errors.js';
import { serverErrorCode } from './store-errors.js';
import type { TokenModels } from './token-models.js';

export interface IndexPlan {
  readonly key: mongo.IndexSpecification;
  readonly options: mongo.CreateIndexesOptions;
  /** The option to name when the server refuses this index. */
  readonly setting: string;
}

// Server answers that mean "this index cannot exist here as configured" (a setting to fix), not
// "the server is away": CannotCreateIndex, IndexOptionsConflict, IndexKeySpecsConflict, NotImplemented
// (FerretDB v1 has no TTL indexes).
const configurationErrorCodes = new Set([67, 85, 86, 238]);

function expiryIndex(ttlIndexes: boolean): IndexPlan {
  return {
    key: { expiresAt: 1 },
    // expireAfterSeconds 0: the server deletes a document once its own expiresAt has passed.
    options: ttlIndexes ? { expireAfterSeconds: 0 } : {},
    setting: 'ttlIndexes',
  };
}

function outstandingIndexes(ttlIndexes: boolean): IndexPlan[] {
  // The jti is `_id`: its unique index is the server's own.
  return [
    // Serves blacklistAllForUser: a user's unexpired tokens.
    { key: { user: 1, expiresAt: 1 }, options: {}, setting: 'outstandingCollection' },
    expiryIndex(ttlIndexes),
  ];
}

function blacklistedIndexes(ttlIndexes: boolean): IndexPlan[] {
  // `_id` (the jti) is unique already: it is the exactly-once guarantee.
  return [expiryIndex(ttlIndexes)];
}

/** Creates each planned index; a refused index names its setting (`ImproperlyConfiguredError`). */
export async function ensureIndexPlans(
  collection: Collection,
  plans: IndexPlan[],
  maxTimeMS: number,
): Promise<void> {
  for (const plan of plans) {
    try {
      await collection.createIndex(plan.key, { ...plan.options, maxTimeMS });
    } catch (error) {
      const code = serverErrorCode(error);
      if (code === undefined || !configurationErrorCodes.has(code)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ImproperlyConfiguredError(
        plan.setting,
        `the server refused index ${JSON.stringify(plan.key)} on collection '${collection.collectionName}' (${reason})`,
      );
    }
  }
}

/**
 * Resolves once `connection` has opened: at once when it already has, after its `connected` event
 * while it is connecting. A connection that was never opened fails at once (nothing to wait for).
 */
export function waitForConnection(connection: Connection): Promise<void> {
  if (connection.db !== undefined) return Promise.resolve();
  if (connection.readyState !== 2) {
    return Promise.reject(
      new TokenStoreUnavailableError({ cause: new Error('the mongoose connection has not been opened') }),
    );
  }
  return new Promise((resolve, reject) => {
    const settle = (error?: unknown) => {
      connection.off('connected', settle);
      connection.off('error', settle);
      connection.off('disconnected', settle);
      if (connection.db !== undefined) resolve();
      else
        reject(new TokenStoreUnavailableError({ cause: error ?? new Error('the connection did not open') }));
    };
    connection.on('connected', settle);
    connection.on('error', settle);
    connection.on('disconnected', settle);
  });
}

/** Creates the store's indexes (idempotent on the server), each command bounded by `maxTimeMS`. */
export async function ensureTokenIndexes(
  connection: Connection,
  models: TokenModels,
  options: { readonly ttlIndexes: boolean; readonly maxTimeMS: number },
): Promise<void> {
  await waitForConnection(connection);
  const { ttlIndexes, maxTimeMS } = options;
  await Promise.all([
    ensureIndexPlans(models.outstanding.collection, outstandingIndexes(ttlIndexes), maxTimeMS),
    ensureIndexPlans(models.blacklisted.collection, blacklistedIndexes(ttlIndexes), maxTimeMS),
  ]);
}
