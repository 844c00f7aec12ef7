// A stateless service: it holds only the signing key of the main app (or, for an asymmetric
// algorithm, the URL of its published JWKS), no database and no user model. It trusts access
// tokens that app issued and reads the caller from their claims (`ctx.tokenUser`, the port of
// JWTStatelessUserAuthentication); `ctx.user` is always null.
// It issues no tokens, so every token mutation is left out of its schema.
import SchemaBuilder from '@pothos/core';
import { createYoga } from 'graphql-yoga';
import SimpleJwtPlugin, {
  createSimpleJwt,
  type JwksOptions,
  type SimpleJwtContext,
  type SimpleJwtSettings,
  type TokenUser,
} from 'pothos-plugin-simple-jwt';

export interface StatelessServiceOptions {
  /** The main app's key (and algorithm, issuer, audience... when it sets them). */
  settings: Pick<
    SimpleJwtSettings,
    'signingKey' | 'verifyingKey' | 'jwkUrl' | 'algorithm' | 'audience' | 'issuer'
  >;
  /** With `jwkUrl`: how long fetched keys are trusted, how often an unknown `kid` may refetch. */
  jwksClient?: JwksOptions;
}

export function createStatelessService({ settings, jwksClient }: StatelessServiceOptions) {
  // No connection and no user model: stateless mode. `never`: this service has no user documents.
  const jwt = createSimpleJwt<never>({ settings, ...(jwksClient ? { jwksClient } : {}) });
  const builder = new SchemaBuilder<{ Context: SimpleJwtContext<never> }>({
    plugins: [SimpleJwtPlugin],
    simpleJwt: {
      jwt,
      mutations: { tokenObtainPair: false, tokenRefresh: false, tokenVerify: false },
    },
  });
  const Caller = builder.objectRef<TokenUser>('Caller').implement({
    description: 'The caller, as the token says.',
    fields: (t) => ({
      id: t.id({ nullable: false, resolve: (tokenUser) => tokenUser.id }),
    }),
  });
  builder.queryType({
    fields: (t) => ({
      caller: t.field({
        type: Caller,
        authRequired: true,
        resolve: (_root, _args, context) => context.tokenUser,
      }),
    }),
  });
  const yoga = createYoga({ schema: builder.toSchema(), context: jwt.yogaContext, logging: false });
  return { yoga, jwt };
}
