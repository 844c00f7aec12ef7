import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import type { Connection } from 'mongoose';
import {
  type Clock,
  createSimpleJwt,
  createUserModel,
  type PasswordHasher,
  type SimpleJwtSettings,
} from 'pothos-plugin-simple-jwt';
import { yogaDocumentLimits } from './document-limits.js';
import { useJwksEndpoint } from './jwks-endpoint.js';
import { useRequestErrorsAre4xx } from './request-errors-are-4xx.js';
import { buildExampleSchema } from './schema.js';

export interface ExampleAppOptions {
  /** Where users and tokens live. */
  connection: Connection;
  settings: SimpleJwtSettings;
  passwordHasher?: PasswordHasher;
  now?: Clock;
}

/** The example server as an app factory: tests run it in-process or over HTTP; server.ts listens. */
export function createExampleApp({ connection, settings, passwordHasher, now }: ExampleAppOptions) {
  const User = createUserModel(connection);
  const jwt = createSimpleJwt({
    settings,
    connection, // turns the blacklist on: outstanding and blacklisted tokens in MongoDB
    userModel: User,
    ...(passwordHasher ? { passwordHasher } : {}),
    ...(now ? { now } : {}),
  });
  const schema = buildExampleSchema(jwt);
  const yoga = createYoga({
    schema,
    context: jwt.yogaContext,
    // With an asymmetric algorithm, the public keys at /.well-known/jwks.json.
    plugins: [...yogaDocumentLimits(), useRequestErrorsAre4xx(), useJwksEndpoint(jwt)],
    graphiql: true,
    // GraphiQL's scripts and styles inlined from an installed package, not loaded from a CDN: the
    // page works without internet access.
    renderGraphiQL,
    logging: false,
  });
  return { yoga, jwt, schema, User };
}
