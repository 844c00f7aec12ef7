/**
 * Code the packed-package test writes into its temporary application, beside the README's server.
 * Each script prints one JSON line with what it saw, for the test to assert.
 */

/**
 * Appended to the README's `server.ts` (whose top-level names, `server`, `User`, `jwt` and
 * `connection`, it uses): creates a user, logs in over HTTP, reads `me` with and without the access
 * token, refreshes, then shuts the server down.
 */
export const readmeServerDriver = `
// ---- Appended by the packed-package test: drives the server above over HTTP. ----
import { createUser } from 'pothos-plugin-simple-jwt';

interface GraphQLReply {
  data?: Record<string, { access?: string; refresh?: string } | string | null> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
const endpoint = \`http://127.0.0.1:\${(server.address() as { port: number }).port}/graphql\`;

async function post(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: \`Bearer \${token}\` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLReply };
}

await createUser(User, { username: 'reader', password: 'reader-password' }, jwt.passwordHasher);
const login = await post(
  'mutation ($username: String!, $password: String!) { tokenObtainPair(username: $username, password: $password) { access refresh } }',
  { username: 'reader', password: 'reader-password' },
);
const pair = login.body.data?.['tokenObtainPair'];
const tokens = typeof pair === 'object' && pair !== null ? pair : {};
const me = await post('{ me }', {}, tokens.access);
const anonymous = await post('{ me }');
const refreshed = await post('mutation ($refresh: String!) { tokenRefresh(refresh: $refresh) { access refresh } }', {
  refresh: tokens.refresh,
});
console.log(JSON.stringify({ login, me, anonymous, refreshed }));
server.closeAllConnections();
server.close();
await connection.close();
`;

/** A CommonJS application: requires both entry points, issues and verifies a token, tries `jwkUrl`. */
export const commonJsConsumer = `'use strict';
const simpleJwt = require('pothos-plugin-simple-jwt');
const { launchDevDatabase } = require('pothos-plugin-simple-jwt/dev-database');

async function main() {
  const jwt = simpleJwt.createSimpleJwt({ settings: { signingKey: process.env.SIMPLE_JWT_SIGNING_KEY } });
  const refresh = await jwt.tokens.RefreshToken.forUser({ id: 'user-1' });
  const access = refresh.accessToken.toString();
  const verified = await jwt.verifyToken(access);
  const parsed = await jwt.tokens.AccessToken.fromString(access);

  // jwks-rsa is an optional peer dependency, not installed in this application.
  let jwkUrlError = null;
  try {
    simpleJwt.createSimpleJwt({ settings: { algorithm: 'RS256', jwkUrl: 'https://127.0.0.1/jwks.json' } });
  } catch (error) {
    jwkUrlError = { name: error.name, setting: error.setting, message: error.message };
  }

  const database = await launchDevDatabase({ mongodbUri: process.env.MONGODB_URI, log: false });
  await database.stop();

  console.log(JSON.stringify({
    pluginName: simpleJwt.default,
    access,
    verified,
    userId: parsed.get('user_id'),
    tokenType: parsed.get('token_type'),
    jwkUrlError,
    databaseKind: database.kind,
  }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** Type-checks the application as a user's strict TypeScript project would, against the shipped declarations. */
export const consumerTsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    // As most projects do (this repository too): some peers' own declarations need newer lib files.
    skipLibCheck: true,
    types: ['node'],
  },
  files: ['server.ts'],
};
