// Sliding tokens only (`authTokenClasses: ['sliding']`): one token both authenticates and is
// refreshed (same jti, later exp) until its `refresh_exp`. There is no refresh token to blacklist,
// so logging out blacklists the sliding token the request came with: the `logout` mutation.
import SchemaBuilder from '@pothos/core';
import { createYoga } from 'graphql-yoga';
import type { Connection } from 'mongoose';
import SimpleJwtPlugin, {
  type Clock,
  createSimpleJwt,
  createUserModel,
  type PasswordHasher,
  type SimpleJwtContext,
  type SimpleJwtSettings,
  type UserDocument,
} from 'pothos-plugin-simple-jwt';

export interface SlidingTokensExampleOptions {
  connection: Connection;
  /** Any settings; `authTokenClasses` is forced to `['sliding']`. */
  settings: SimpleJwtSettings;
  passwordHasher?: PasswordHasher;
  now?: Clock;
}

export function createSlidingTokensExample({
  connection,
  settings,
  passwordHasher,
  now,
}: SlidingTokensExampleOptions) {
  const User = createUserModel(connection);
  const jwt = createSimpleJwt({
    settings: { ...settings, authTokenClasses: ['sliding'] },
    connection, // the blacklist holds logged-out sliding tokens
    userModel: User,
    ...(passwordHasher ? { passwordHasher } : {}),
    ...(now ? { now } : {}),
  });
  const builder = new SchemaBuilder<{ Context: SimpleJwtContext<UserDocument> }>({
    plugins: [SimpleJwtPlugin],
    simpleJwt: jwt,
  });
  const UserRef = builder.objectRef<UserDocument>('User').implement({
    fields: (t) => ({
      id: t.id({ nullable: false, resolve: (user) => String(user._id) }),
      username: t.exposeString('username', { nullable: false }),
      isStaff: t.exposeBoolean('isStaff', { nullable: false }),
    }),
  });
  builder.queryType({
    fields: (t) => ({
      me: t.field({ type: UserRef, authRequired: true, resolve: (_root, _args, context) => context.user }),
    }),
  });
  builder.mutationType({
    fields: (t) => ({
      logout: t.boolean({
        nullable: false,
        authRequired: true,
        description: 'Blacklists the sliding token of this request: it and every refreshed copy (same jti).',
        // With authTokenClasses ['sliding'] the request's token is always a SlidingToken.
        resolve: (_root, _args, context) =>
          context.token instanceof jwt.tokens.SlidingToken ? context.token.blacklist() : false,
      }),
    }),
  });
  const yoga = createYoga({ schema: builder.toSchema(), context: jwt.yogaContext, logging: false });
  return { yoga, jwt, User };
}
