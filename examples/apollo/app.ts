// The Apollo Server example: the same schema as the Yoga example (`me`, `whoami` and the token
// mutations) served by Apollo Server, with `simpleJwtFormatError` so that no stack trace or
// database text reaches a client, and the same document limits as the Yoga example
// (document-limits.ts). Apollo takes the context function where the server is started:
// `startStandaloneServer(server, { context: jwt.apolloContext })` (see server.ts). With `refreshCookie`
// the refresh token travels in an HttpOnly cookie: `jwt.apolloPlugin` writes it, and Apollo's own CSRF
// prevention (on by default, kept on here) refuses the form-style requests a cross-site page can send.
import { ApolloServer } from '@apollo/server';
import type { Connection } from 'mongoose';
import {
  type Clock,
  createSimpleJwt,
  createUserModel,
  type PasswordHasher,
  type RefreshCookieOptions,
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
  /** Browser clients: the refresh token in an HttpOnly cookie. @default off */
  refreshCookie?: RefreshCookieOptions | boolean;
}

/** The Apollo example as an app factory: tests start it on a free port; server.ts listens on PORT. */
export function createApolloExample(options: ApolloExampleOptions) {
  const { connection, settings, passwordHasher, now, refreshCookie } = options;
  const User = createUserModel(connection);
  const jwt = createSimpleJwt({
    settings,
    connection, // turns the blacklist on
    userModel: User,
    ...(passwordHasher ? { passwordHasher } : {}),
    ...(now ? { now } : {}),
    refreshCookie,
  });
  const server = new ApolloServer<SimpleJwtContext<UserDocument>>({
    schema: buildExampleSchema(jwt),
    formatError: simpleJwtFormatError,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    plugins: [jwt.apolloPlugin],
    ...apolloDocumentLimits(),
  });
  return { server, jwt, User };
}
