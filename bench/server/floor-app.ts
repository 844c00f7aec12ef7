import { randomBytes } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import SchemaBuilder from '@pothos/core';
import { createYoga } from 'graphql-yoga';
import type { Connection, Types } from 'mongoose';
import { yogaDocumentLimits } from '../../examples/yoga/document-limits.js';
import { useRequestErrorsAre4xx } from '../../examples/yoga/request-errors-are-4xx.js';

// The floor of each database-backed endpoint: the same Yoga server (same options, a Pothos schema
// with the same operations and result shapes) whose resolvers only make the bare driver point
// operations by `_id` that the real endpoint makes, in the same steps, on the same collections.
// No token is decoded, signed or checked: the ratio of an endpoint to its floor is our overhead.

interface FloorOptions {
  readonly connection: Connection;
  /** The benchmark user, whose document `{ me }` and the refresh user check read. */
  readonly userId: Types.ObjectId;
  /** `tokenRefresh` as with rotation and blacklistAfterRotation (else: without rotation). */
  readonly rotate: boolean;
}

const jti = () => randomBytes(16).toString('hex');

export function createFloorApp({ connection, userId, rotate }: FloorOptions) {
  const db = connection.db;
  if (!db) throw new Error('floor app: the connection is not open');
  const blacklisted = db.collection<{ _id: string }>('blacklisted_tokens');
  const outstanding = db.collection<{ _id: string }>('outstanding_tokens');
  const users = db.collection('users');
  const expiresAt = () => new Date(Date.now() + 86_400_000);
  const outstandingRecord = () => ({
    _id: jti(),
    user: userId.toHexString(),
    tokenType: 'refresh',
    createdAt: new Date(),
    expiresAt: expiresAt(),
  });
  const blacklistRecord = () => ({ _id: jti(), blacklistedAt: new Date(), expiresAt: expiresAt() });
  const readUser = () => users.findOne({ _id: userId });
  const readBlacklist = () => blacklisted.findOne({ _id: jti() }, { projection: { _id: 1 } });

  const builder = new SchemaBuilder<{ Context: object }>({});
  const User = builder
    .objectRef<{ _id: Types.ObjectId; username: string; isStaff: boolean }>('User')
    .implement({
      fields: (t) => ({
        id: t.id({ nullable: false, resolve: (user) => String(user._id) }),
        username: t.exposeString('username', { nullable: false }),
        isStaff: t.exposeBoolean('isStaff', { nullable: false }),
      }),
    });
  const Pair = builder.objectRef<{ access: string; refresh?: string }>('TokenPair').implement({
    fields: (t) => ({
      access: t.exposeString('access', { nullable: false }),
      refresh: t.string({ nullable: true, resolve: (pair) => pair.refresh ?? null }),
    }),
  });
  const Valid = builder.objectRef<{ valid: boolean }>('Valid').implement({
    fields: (t) => ({ valid: t.exposeBoolean('valid', { nullable: false }) }),
  });
  const Blacklisted = builder.objectRef<{ blacklisted: boolean }>('Blacklisted').implement({
    fields: (t) => ({ blacklisted: t.exposeBoolean('blacklisted', { nullable: false }) }),
  });
  builder.queryType({
    fields: (t) => ({
      // Authentication reads the user by `_id` (the access token is not blacklistable).
      me: t.field({ type: User, nullable: true, resolve: async () => (await readUser()) as never }),
    }),
  });
  builder.mutationType({
    fields: (t) => ({
      tokenVerify: t.field({
        type: Valid,
        args: { token: t.arg.string({ required: true }) },
        resolve: async () => ({ valid: (await readBlacklist()) === null }),
      }),
      tokenRefresh: t.field({
        type: Pair,
        args: { refresh: t.arg.string({ required: true }) },
        resolve: async () => {
          if (!rotate) {
            await Promise.all([readBlacklist(), readUser()]);
            return { access: 'floor' };
          }
          // The user read, then the old token's two inserts and the new token's record at once.
          await readUser();
          await Promise.all([
            outstanding.insertOne(outstandingRecord()),
            blacklisted.insertOne(blacklistRecord()),
            outstanding.insertOne(outstandingRecord()),
          ]);
          return { access: 'floor', refresh: 'floor' };
        },
      }),
      tokenBlacklist: t.field({
        type: Blacklisted,
        args: { refresh: t.arg.string({ required: true }) },
        resolve: async () => {
          await Promise.all([
            outstanding.insertOne(outstandingRecord()),
            blacklisted.insertOne(blacklistRecord()),
          ]);
          return { blacklisted: true };
        },
      }),
    }),
  });
  const yoga = createYoga({
    schema: builder.toSchema(),
    plugins: [...yogaDocumentLimits(), useRequestErrorsAre4xx()],
    graphiql: true,
    renderGraphiQL,
    logging: false,
  });
  return { yoga };
}
