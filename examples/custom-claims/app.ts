// Custom claims: the `getToken(user, token)` hook (Simple JWT's overridden `get_token`) writes the
// user's `username` and `is_staff` into every new refresh and sliding token; access tokens copy
// them from their refresh token. The claim names are Simple JWT's, so the stateless `TokenUser`
// reads them (`tokenUser.username`, `tokenUser.isStaff`) and a Django service would too.
import SchemaBuilder from '@pothos/core';
import { createYoga } from 'graphql-yoga';
import type { Connection } from 'mongoose';
import SimpleJwtPlugin, {
  type Clock,
  createSimpleJwt,
  createUserModel,
  type GetTokenHook,
  type PasswordHasher,
  type SimpleJwtContext,
  type SimpleJwtSettings,
  type TokenUser,
  type UserDocument,
} from 'pothos-plugin-simple-jwt';

export interface CustomClaimsExampleOptions {
  connection: Connection;
  settings: SimpleJwtSettings;
  passwordHasher?: PasswordHasher;
  now?: Clock;
}

/** The hook: runs once per new refresh or sliding token, before the token is recorded. */
export const addProfileClaims: GetTokenHook<UserDocument> = (user, token) => {
  token.set('username', user.username);
  token.set('is_staff', user.isStaff);
};

export function createCustomClaimsExample({
  connection,
  settings,
  passwordHasher,
  now,
}: CustomClaimsExampleOptions) {
  const User = createUserModel(connection);
  const jwt = createSimpleJwt({
    settings,
    connection,
    userModel: User,
    getToken: addProfileClaims,
    ...(passwordHasher ? { passwordHasher } : {}),
    ...(now ? { now } : {}),
  });
  const builder = new SchemaBuilder<{ Context: SimpleJwtContext<UserDocument> }>({
    plugins: [SimpleJwtPlugin],
    simpleJwt: jwt,
  });
  const TokenProfile = builder.objectRef<TokenUser>('TokenProfile').implement({
    description: "The caller as the token's claims describe them: no database read.",
    fields: (t) => ({
      id: t.id({ nullable: false, resolve: (tokenUser) => tokenUser.id }),
      username: t.string({ nullable: false, resolve: (tokenUser) => tokenUser.username }),
      isStaff: t.boolean({ nullable: false, resolve: (tokenUser) => tokenUser.isStaff }),
    }),
  });
  builder.queryType({
    fields: (t) => ({
      tokenProfile: t.field({
        type: TokenProfile,
        authRequired: true,
        resolve: (_root, _args, context) => context.tokenUser,
      }),
    }),
  });
  const yoga = createYoga({ schema: builder.toSchema(), context: jwt.yogaContext, logging: false });
  return { yoga, jwt, User };
}
