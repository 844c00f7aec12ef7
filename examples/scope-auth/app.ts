// Authorization with @pothos/plugin-scope-auth on top of Simple JWT's authentication: the scopes
// come from `ctx.user` (the user document loaded once per request), fields declare the scopes they
// need, and a failed check answers UNAUTHENTICATED (no user) or FORBIDDEN (a user without the scope).
// Pothos plugin types are global: importing scope-auth makes its `scopeAuth` option required on every
// builder of the TypeScript program, so this example is type-checked on its own (./tsconfig.json).
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type { Connection } from 'mongoose';
import SimpleJwtPlugin, {
  AuthenticationFailedError,
  type Clock,
  createSimpleJwt,
  createUserModel,
  messages,
  type PasswordHasher,
  type SimpleJwtContext,
  type SimpleJwtSettings,
  type UserDocument,
} from 'pothos-plugin-simple-jwt';

export interface ScopeAuthExampleOptions {
  connection: Connection;
  settings: SimpleJwtSettings;
  passwordHasher?: PasswordHasher;
  now?: Clock;
}

export function createScopeAuthExample({
  connection,
  settings,
  passwordHasher,
  now,
}: ScopeAuthExampleOptions) {
  const User = createUserModel(connection);
  const jwt = createSimpleJwt({
    settings,
    connection,
    userModel: User,
    ...(passwordHasher ? { passwordHasher } : {}),
    ...(now ? { now } : {}),
  });
  const builder = new SchemaBuilder<{
    Context: SimpleJwtContext<UserDocument>;
    AuthScopes: { loggedIn: boolean; staff: boolean };
  }>({
    // scope-auth first, so its checks run before any other plugin's resolver wrapping.
    plugins: [ScopeAuthPlugin, SimpleJwtPlugin],
    simpleJwt: jwt,
    scopeAuth: {
      authScopes: (context) => ({
        loggedIn: context.user !== null,
        staff: context.user?.isStaff === true,
      }),
      unauthorizedError: (_parent, context) =>
        context.user === null
          ? new AuthenticationFailedError('UNAUTHENTICATED', messages.authenticationRequired)
          : new GraphQLError('You do not have permission to perform this action.', {
              extensions: { code: 'FORBIDDEN', http: { status: 403 } },
            }),
    },
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
      me: t.field({
        type: UserRef,
        authScopes: { loggedIn: true },
        resolve: (_root, _args, context) => context.user,
      }),
      userCount: t.int({
        description: 'Staff only.',
        authScopes: { staff: true },
        resolve: () => User.countDocuments(),
      }),
    }),
  });
  const yoga = createYoga({ schema: builder.toSchema(), context: jwt.yogaContext, logging: false });
  return { yoga, jwt, User };
}
