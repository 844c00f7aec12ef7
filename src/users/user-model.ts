import { randomBytes } from 'node:crypto';
import { type Connection, type HydratedDocument, type Model, Schema } from 'mongoose';
import { ImproperlyConfiguredError } from '../errors.js';
import type { PasswordHasher } from './password-hasher.js';

/** The fields of the ready user model: Django's `AbstractUser` login fields in camelCase. */
export interface UserFields {
  username: string;
  /** A password hash (`scrypt$…`, or a migrated Django `pbkdf2_sha256$…`); `!…` marks an unusable password. */
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  lastLogin: Date | null;
  dateJoined: Date;
  /** Tokens issued before this instant are refused ("log out everywhere", a password change). */
  tokensValidAfter: Date | null;
}

/** The ready user model's type. */
export type UserModel = Model<UserFields>;

/** A user document of the ready model: what `ctx.user` holds when the ready model is used. */
export type UserDocument = HydratedDocument<UserFields>;

/** Options of `createUserSchema`. */
export interface UserSchemaOptions {
  /** Longest username, in characters (Django's `max_length`). @default 150 */
  usernameMaxLength?: number;
}

/** Options of `createUserModel`. */
export interface UserModelOptions {
  /** The model's name on the connection. @default 'User' */
  modelName?: string;
  /** The MongoDB collection. @default 'users' */
  collection?: string;
  /** The schema to compile, e.g. `createUserSchema()` with paths added. @default createUserSchema() */
  schema?: Schema<UserFields, UserModel>;
}

/** A user to create: the username, a plain password (`null` for an unusable one) and optional flags. */
export interface NewUser extends Partial<Omit<UserFields, 'username' | 'password'>> {
  username: string;
  password: string | null;
}

/**
 * The ready user schema: `username` (required, unique), `password`, `isActive` (default `true`),
 * `isStaff`, `isSuperuser` (default `false`), `lastLogin` (default `null`) and `dateJoined` (default now).
 * `toJSON` leaves the password hash out, so serialising a user never leaks it.
 */
export function createUserSchema(options: UserSchemaOptions = {}): Schema<UserFields, UserModel> {
  const { usernameMaxLength = 150 } = options;
  return new Schema<UserFields, UserModel>(
    {
      username: { type: String, required: true, unique: true, maxlength: usernameMaxLength },
      password: { type: String, required: true },
      isActive: { type: Boolean, required: true, default: true },
      isStaff: { type: Boolean, required: true, default: false },
      isSuperuser: { type: Boolean, required: true, default: false },
      lastLogin: { type: Date, default: null },
      dateJoined: { type: Date, required: true, default: () => new Date() },
      tokensValidAfter: { type: Date, default: null },
    },
    {
      toJSON: {
        transform: (_document, serialised: Record<string, unknown>) => {
          delete serialised['password'];
          return serialised;
        },
      },
    },
  );
}

/**
 * The ready user model on `connection`. Idempotent: when `modelName` is already compiled on this
 * connection that model is returned (after checking it uses the same collection).
 * @throws ImproperlyConfiguredError when `modelName` exists on the connection with another collection.
 */
export function createUserModel(connection: Connection, options: UserModelOptions = {}): UserModel {
  const { modelName = 'User', collection = 'users' } = options;
  const existing = connection.models[modelName];
  if (existing) {
    if (existing.collection.collectionName !== collection) {
      throw new ImproperlyConfiguredError(
        'userModel',
        `model '${modelName}' already exists on this connection with collection '${existing.collection.collectionName}'`,
      );
    }
    return existing as UserModel;
  }
  return connection.model<UserFields, UserModel>(modelName, options.schema ?? createUserSchema(), collection);
}

/** Django's unusable password: `!` and 40 random characters, which no hasher ever accepts. */
function unusablePassword(): string {
  return `!${randomBytes(30).toString('base64url')}`;
}

/**
 * Sets `user.password` to a hash of `password` (or an unusable password for `null`), without saving,
 * like Django's `set_password`.
 */
export async function setPassword(
  user: UserDocument,
  password: string | null,
  hasher: PasswordHasher,
): Promise<void> {
  user.password = password === null ? unusablePassword() : await hasher.hash(password);
}

/**
 * Creates and saves a user with a hashed password, like Django's `create_user`; the username is
 * NFKC-normalised as Django's `normalize_username` does.
 * @throws the duplicate-key error (code 11000) when the username is taken.
 */
export async function createUser(
  model: UserModel,
  input: NewUser,
  hasher: PasswordHasher,
): Promise<UserDocument> {
  const { username, password, ...rest } = input;
  const user = new model({ ...rest, username: username.normalize('NFKC') });
  await setPassword(user, password, hasher);
  await user.save();
  return user;
}
