import { type Connection, type Model, Schema, type Types } from 'mongoose';

/** A stored outstanding token (Simple JWT's `OutstandingToken`, without the raw token string). */
export interface OutstandingTokenDocument {
  jti: string;
  /** The user id as a string; `null` when the token names no user. Kept when the user is deleted. */
  user: string | null;
  tokenType: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A stored blacklist entry (Simple JWT's `BlacklistedToken`). */
export interface BlacklistedTokenDocument {
  /** `_id` of the outstanding token: unique, the port of the one-to-one relation. */
  token: Types.ObjectId;
  /** Copied from the outstanding token so `isBlacklisted(jti)` is one indexed lookup. */
  jti: string;
  blacklistedAt: Date;
  /** Copied from the outstanding token so flushing needs no join. */
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
// never by mongoose's background auto-indexing; commands fail fast instead of buffering.
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
      jti: { type: String, required: true },
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
      token: { type: Schema.Types.ObjectId, required: true },
      jti: { type: String, required: true },
      blacklistedAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
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
