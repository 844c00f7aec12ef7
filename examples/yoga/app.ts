import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import type { Connection } from 'mongoose';
import {
  type Clock,
  createSimpleJwt,
  createUserModel,
  type PasswordHasher,
  type RefreshCookieOptions,
  type SimpleJwtSettings,
} from 'pothos-plugin-simple-jwt';
import { useBrowserPage } from './browser-page.js';
import { credentialedCors } from './credentialed-cors.js';
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
  /**
   * Browser clients: the refresh token in an HttpOnly cookie, with Yoga's CSRF prevention, CORS for
   * `corsOrigins` only, and the web client of examples/browser at `/`. @default off
   */
  refreshCookie?: RefreshCookieOptions | boolean;
  /** With `refreshCookie`: other origins (`https://app.example.com`) allowed to call with credentials. @default none */
  corsOrigins?: readonly string[];
}

/** The example server as an app factory: tests run it in-process or over HTTP; server.ts listens. */
export function createExampleApp(options: ExampleAppOptions) {
  const { connection, settings, passwordHasher, now, refreshCookie } = options;
  const User = createUserModel(connection);
  const jwt = createSimpleJwt({
    settings,
    connection, // turns the blacklist on: outstanding and blacklisted tokens in MongoDB
    userModel: User,
    ...(passwordHasher ? { passwordHasher } : {}),
    ...(now ? { now } : {}),
    refreshCookie,
  });
  // A cookie is sent by the browser whoever made the page: refuse form-style requests (CSRF) and grant
  // CORS to the listed origins only.
  const browser = refreshCookie
    ? {
        plugins: [useCSRFPrevention(), jwt.yogaPlugin, useBrowserPage()],
        cors: credentialedCors(options.corsOrigins ?? []),
      }
    : { plugins: [] };
  const schema = buildExampleSchema(jwt);
  const yoga = createYoga({
    schema,
    context: jwt.yogaContext,
    // With an asymmetric algorithm, the public keys at /.well-known/jwks.json; with the refresh
    // cookie, the web client and CSRF prevention.
    plugins: [...yogaDocumentLimits(), useRequestErrorsAre4xx(), useJwksEndpoint(jwt), ...browser.plugins],
    ...('cors' in browser ? { cors: browser.cors } : {}),
    graphiql: true,
    // GraphiQL's scripts and styles inlined from an installed package, not loaded from a CDN: the
    // page works without internet access.
    renderGraphiQL,
    logging: false,
  });
  return { yoga, jwt, schema, User };
}
