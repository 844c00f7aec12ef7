import type { Document, Model, Schema } from 'mongoose';
import { ImproperlyConfiguredError } from '../errors.js';
import type { UserAdapter } from './user-adapter.js';

/** Field names of the user model, Simple JWT / Django settings in camelCase. */
export interface MongooseUserAdapterOptions {
  /** USER_ID_FIELD: the field whose value goes into tokens; `'id'` means `_id`. @default 'id' */
  userIdField?: string;
  /** USERNAME_FIELD: the login field, matched exactly. @default 'username' */
  usernameField?: string;
  /** The boolean "account active" field; `null` when the model has none (every user is active). @default 'isActive' */
  isActiveField?: string | null;
  /** The password hash field; `null` when the model stores no passwords. @default 'password' */
  passwordField?: string | null;
  /** The "last login" date field; `null` to make `updateLastLogin` a no-op. @default 'lastLogin' */
  lastLoginField?: string | null;
  /**
   * The date field "log out everywhere" sets (`tokensValidAfterField`); ignored when the schema has
   * no such path. @default 'tokensValidAfter'
   */
  tokensValidAfterField?: string | null;
}

/** A `UserAdapter` over a mongoose model, plus the username lookup `createAuthenticator` needs. */
export interface MongooseUserAdapter<Doc> extends UserAdapter<Doc> {
  /** The user whose username field equals `username` exactly; `null` when absent or not castable. */
  findByUsername(username: string): Promise<Doc | null>;
}

/**
 * The part of a model the adapter uses, free of mongoose's generics (which differ per model and cannot
 * be narrowed generically). Lookups return hydrated documents, cast back to the model's document type.
 */
interface LookupModel {
  readonly modelName: string;
  readonly schema: Schema;
  findOne(filter: Record<string, unknown>): { exec(): Promise<unknown> };
  updateOne(filter: Record<string, unknown>, update: Record<string, unknown>): { exec(): Promise<unknown> };
}

/** Mongoose reports a value its schema type cannot hold (e.g. "abc" for an ObjectId) as a CastError. */
function isCastError(error: unknown): boolean {
  return error instanceof Error && error.name === 'CastError';
}

/**
 * Builds a `UserAdapter` for any mongoose model. Every configured field must be a path of the model's
 * schema; a misspelt `isActiveField` would otherwise silently make every user active.
 * Lookups only ever send `{ <field>: { $eq: <string> } }`, so client input cannot become a query
 * operator, and a value malformed for the field's schema type finds nobody instead of throwing.
 * @throws ImproperlyConfiguredError naming the option whose field the schema lacks.
 */
export function createMongooseUserAdapter<
  TRaw,
  TQueryHelpers,
  TMethods,
  TVirtuals,
  THydrated extends object,
  TSchema,
>(
  userModel: Model<TRaw, TQueryHelpers, TMethods, TVirtuals, THydrated, TSchema>,
  options: MongooseUserAdapterOptions = {},
): MongooseUserAdapter<THydrated> {
  const model = userModel as unknown as LookupModel;
  // Every document a mongoose model returns is a mongoose Document.
  const documentOf = (user: THydrated) => user as unknown as Document;
  const schemaPath = (setting: keyof MongooseUserAdapterOptions, field: string): string => {
    const path = field === 'id' ? '_id' : field;
    if (!model.schema.path(path)) {
      throw new ImproperlyConfiguredError(setting, `model '${model.modelName}' has no schema path '${path}'`);
    }
    return path;
  };
  // `null` turns the field off, `undefined` means the default: so no `??` here.
  const optionalPath = (
    setting: 'isActiveField' | 'passwordField' | 'lastLoginField',
    fallback: string,
  ): string | null => {
    const field = options[setting];
    if (field === null) return null;
    return schemaPath(setting, field === undefined ? fallback : field);
  };

  const idPath = schemaPath('userIdField', options.userIdField ?? 'id');
  const usernamePath = schemaPath('usernameField', options.usernameField ?? 'username');
  const isActivePath = optionalPath('isActiveField', 'isActive');
  const passwordPath = optionalPath('passwordField', 'password');
  const lastLoginPath = optionalPath('lastLoginField', 'lastLogin');
  const validAfterField =
    options.tokensValidAfterField === undefined ? 'tokensValidAfter' : options.tokensValidAfterField;
  const validAfterPath =
    validAfterField !== null && model.schema.path(validAfterField) ? validAfterField : null;

  // The filter is built from a checked path and a string only, so widening its type is safe.
  const findOneEqual = async (path: string, value: string): Promise<THydrated | null> => {
    try {
      return (await model.findOne({ [path]: { $eq: value } }).exec()) as THydrated | null;
    } catch (error) {
      if (isCastError(error)) return null;
      throw error;
    }
  };

  const idOf = (user: THydrated): string => {
    const value: unknown = documentOf(user).get(idPath);
    if (value === undefined || value === null) {
      throw new ImproperlyConfiguredError(
        'userIdField',
        `a '${model.modelName}' document has no '${idPath}'`,
      );
    }
    return String(value);
  };

  return {
    async findById(id) {
      if (typeof id !== 'string') return null;
      const user = await findOneEqual(idPath, id);
      // Casting is lenient ("01" finds 1, uppercase hex finds an ObjectId): only the canonical id counts.
      return user !== null && idOf(user) === id ? user : null;
    },

    async findByUsername(username) {
      return typeof username === 'string' ? findOneEqual(usernamePath, username) : null;
    },

    idOf,

    isActive(user) {
      if (isActivePath === null) return true;
      const value: unknown = documentOf(user).get(isActivePath);
      // A missing value counts as active (as Django's class default); anything but `true` otherwise fails closed.
      return value === undefined || value === true;
    },

    passwordHashOf(user) {
      if (passwordPath === null) return undefined;
      const value: unknown = documentOf(user).get(passwordPath);
      return typeof value === 'string' ? value : undefined;
    },

    async updateLastLogin(user, at) {
      if (lastLoginPath === null) return;
      // One atomic field write, not a full save that could overwrite concurrent changes.
      const document = documentOf(user);
      await model.updateOne({ _id: { $eq: document._id } }, { $set: { [lastLoginPath]: at } }).exec();
      // Keep the loaded document in step without leaving it dirty (a later save must not rewrite it).
      document.set(lastLoginPath, at);
      document.unmarkModified(lastLoginPath);
    },

    ...(validAfterPath === null
      ? {}
      : {
          tokensValidAfterOf(user: THydrated): Date | null {
            const value: unknown = documentOf(user).get(validAfterPath);
            return value instanceof Date ? value : null;
          },
          async setTokensValidAfter(user: THydrated, at: Date): Promise<void> {
            const document = documentOf(user);
            await model.updateOne({ _id: { $eq: document._id } }, { $set: { [validAfterPath]: at } }).exec();
            document.set(validAfterPath, at);
            document.unmarkModified(validAfterPath);
          },
        }),
  };
}
