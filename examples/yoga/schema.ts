import SchemaBuilder from '@pothos/core';
import type { UserDocument } from 'pothos-plugin-simple-jwt';
import SimpleJwtPlugin, { type SimpleJwt, type SimpleJwtContext } from 'pothos-plugin-simple-jwt';

/**
 * The example server's schema: `me` (needs a user from the database), `whoami` (stateless: read from
 * the token's claims) and, from the plugin, every token mutation.
 */
export function buildExampleSchema(jwt: SimpleJwt<UserDocument>) {
  const builder = new SchemaBuilder<{ Context: SimpleJwtContext<UserDocument> }>({
    plugins: [SimpleJwtPlugin],
    simpleJwt: jwt,
  });

  const User = builder.objectRef<UserDocument>('User').implement({
    description: 'A user of the example server.',
    fields: (t) => ({
      id: t.id({ nullable: false, resolve: (user) => String(user._id) }),
      username: t.exposeString('username', { nullable: false }),
      isStaff: t.exposeBoolean('isStaff', { nullable: false }),
    }),
  });

  const TokenClaim = builder.objectRef<[string, unknown]>('TokenClaim').implement({
    description: 'One claim of the token: its name and its JSON-encoded value.',
    fields: (t) => ({
      name: t.string({ nullable: false, resolve: ([name]) => name }),
      value: t.string({ nullable: false, resolve: ([, value]) => JSON.stringify(value) }),
    }),
  });

  const TokenUserInfo = builder
    .objectRef<NonNullable<SimpleJwtContext['tokenUser']>>('TokenUserInfo')
    .implement({
      description: 'The stateless user built from the token alone (no database read).',
      fields: (t) => ({
        id: t.id({ nullable: false, resolve: (tokenUser) => tokenUser.id }),
        tokenType: t.string({ nullable: true, resolve: (tokenUser) => tokenTypeOf(tokenUser, jwt) }),
        claims: t.field({
          type: [TokenClaim],
          nullable: false,
          resolve: (tokenUser) => Object.entries(tokenUser.claims),
        }),
      }),
    });

  builder.queryType({
    fields: (t) => ({
      me: t.field({
        type: User,
        nullable: true,
        authRequired: true,
        description: 'The authenticated user (UNAUTHENTICATED without a valid access token).',
        resolve: (_root, _args, context) => context.user,
      }),
      whoami: t.field({
        type: TokenUserInfo,
        nullable: true,
        description: 'Who the token says you are, or null when anonymous.',
        resolve: (_root, _args, context) => context.tokenUser,
      }),
    }),
  });

  return builder.toSchema();
}

function tokenTypeOf(
  tokenUser: NonNullable<SimpleJwtContext['tokenUser']>,
  jwt: SimpleJwt<UserDocument>,
): string | null {
  const claim = jwt.settings.tokenTypeClaim;
  const value = claim === null ? undefined : tokenUser.claim(claim);
  return typeof value === 'string' ? value : null;
}
