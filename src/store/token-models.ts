import { type Connection, type Model, Schema } from 'mongoose';

/**
 * A stored outstanding token (Simple JWT's `OutstandingToken`, without the raw token string), keyed
 * by the token's `jti`: every lookup is a point lookup by `_id`, on MongoDB and FerretDB alike.
 */
export interface OutstandingTokenDocument {
  /** The token's `jti`. */
  _id: string;
  /** The user id as a string; `null` when the token names no user. Kept when the user is deleted. */
  user: string | null;
  tokenType: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * A stored blacklist entry (Simple JWT's `BlacklistedToken`). Its `_id` is the outstanding token's
 * `_id` (the `jti`): the shared key is the one-to-one relation, and the unique `_id` index is what
 * makes blacklisting happen exactly once.
 */
export interface BlacklistedTokenDocument {
  /** The token's `jti`, the `_id` of its outstanding record. */
  _id: string;
  blacklistedAt: Date;
  /** The token's expiry, so flushing needs no join. */
  expiresAt: Date;
  /** When a refresh rotated the token away (reuse detection, by the instance's clock); absent otherwise. */
  rotatedAt?: Date;
}

/** A stored token family (a session), keyed by the family id. */
export interface TokenFamilyDocument {
  /** The family id (the family claim). */
  _id: string;
  user: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  /** No token of the family is valid after this: flushing deletes the record. */
  expiresAt: Date;
}

/** The two mongoose models of one store, built on the user's connection. */
export interface TokenModels {
  readonly outstanding: Model<OutstandingTokenDocument>;
  readonly blacklisted: Model<BlacklistedTokenDocument>;
}

/** Collection names of one store. */
export interface TokenCollectionNames {
  readonly outstandingCollection: string;
  readonly blacklistedCollection: string;
}

// Indexes are created explicitly by `ensureTokenIndexes` (bounded by a timeout, errors classified),
// never by mongoose's background auto-indexing; commands fail fast instead of buffering. The store
// reads and writes through `model.collection` (the driver, no hydration): the schemas document
// the layout and carry these options.
const schemaOptions = {
  bufferCommands: false,
  autoIndex: false,
  autoCreate: false,
  versionKey: false,
  strict: true,
  strictQuery: true,
} as const;

function outstandingSchema(collection: string): Schema<OutstandingTokenDocument> {
  return new Schema<OutstandingTokenDocument>(
    {
      _id: { type: String, required: true },
      user: { type: String, default: null },
      tokenType: { type: String, required: true },
      createdAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
    },
    { ...schemaOptions, collection },
  );
}

function blacklistedSchema(collection: string): Schema<BlacklistedTokenDocument> {
  return new Schema<BlacklistedTokenDocument>(
    {
      _id: { type: String, required: true },
      blacklistedAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
      rotatedAt: { type: Date },
    },
    { ...schemaOptions, collection },
  );
}

// The prefix and the colons keep these names apart from any model name a user would choose; the
// collection name in it lets two stores with different collections share one connection.
const modelNamePrefix = 'pothos-plugin-simple-jwt:';

function modelOn<T>(connection: Connection, name: string, build: () => Schema<T>): Model<T> {
  const existing = connection.models[name];
  return existing ? (existing as Model<T>) : connection.model<T>(name, build());
}

/** Returns the store's models on `connection`, building them the first time (idempotent per connection). */
export function tokenModelsFor(connection: Connection, names: TokenCollectionNames): TokenModels {
  const { outstandingCollection, blacklistedCollection } = names;
  return {
    outstanding: modelOn(connection, `${modelNamePrefix}OutstandingToken:${outstandingCollection}`, () =>
      outstandingSchema(outstandingCollection),
    ),
    blacklisted: modelOn(connection, `${modelNamePrefix}BlacklistedToken:${blacklistedCollection}`, () =>
      blacklistedSchema(blacklistedCollection),
    ),
  };
}

function familySchema(collection: string): Schema<TokenFamilyDocument> {
  return new Schema<TokenFamilyDocument>(
    {
      _id: { type: String, required: true },
      user: { type: String, default: null },
      createdAt: { type: Date, required: true },
      lastUsedAt: { type: Date, required: true },
      userAgent: { type: String, default: null },
      revokedAt: { type: Date, default: null },
      revokedReason: { type: String, default: null },
      expiresAt: { type: Date, required: true },
    },
    { ...schemaOptions, collection },
  );
}

/** The token family model on `connection` for `collection` (idempotent per connection). */
export function familyModelFor(connection: Connection, collection: string): Model<TokenFamilyDocument> {
  return modelOn(connection, `${modelNamePrefix}TokenFamily:${collection}`, () => familySchema(collection));
}
