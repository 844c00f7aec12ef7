// The Apollo Server example: the same schema as the Yoga example (`me`, `whoami` and the token
// mutations) served by Apollo Server, with `simpleJwtFormatError` so that no stack trace or
// database text reaches a client, and the same document limits as the Yoga example
// (document-limits.ts). Apollo takes the context function where the server is started:
// `startStandaloneServer(server, { context: jwt.apolloContext })` (see server.ts).
import { ApolloServer } from '@apollo/server';
import type { Connection } from 'mongoose';
import {
  type Clock,
  createSimpleJwt,
  createUserModel,
  type PasswordHasher,
  type SimpleJwtContext,
  type SimpleJwtSettings,
  simpleJwtFormatError,
  type UserDocument,
} from 'pothos-plugin-simple-jwt';
import { buildExampleSchema } from '../yoga/schema.js';
import { apolloDocumentLimits } from './document-limits.js';

export interface ApolloExampleOptions {
  /** Where users and tokens live. */
  connection: Connection;
  settings: SimpleJwtSettings;
  passwordHasher?: PasswordHasher;
  now?: Clock;
}

/** The Apollo example as an app factory: tests start it on a free port; server.ts listens on PORT. */
export function createApolloExample({ connection, settings, passwordHasher, now }: ApolloExampleOptions) {
  const User = createUserModel(connection);
  const jwt = createSimpleJwt({
    settings,
    connection, // turns the blacklist on
    userModel: User,
    ...(passwordHasher ? { passwordHasher } : {}),
    ...(now ? { now } : {}),
  });
  const server = new ApolloServer<SimpleJwtContext<UserDocument>>({
    schema: buildExampleSchema(jwt),
    formatError: simpleJwtFormatError,
    includeStacktraceInErrorResponses: false,
    ...apolloDocumentLimits(),
  });
  return { server, jwt, User };
}
