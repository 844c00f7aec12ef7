import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import {
  createUser,
  generateSigningKey,
  type PasswordHasher,
  refreshCookieFromEnv,
  type SimpleJwtSettings,
  settingsFromEnv,
  type UserModel,
} from 'pothos-plugin-simple-jwt';
import { launchDevDatabase } from 'pothos-plugin-simple-jwt/dev-database';

/**
 * What both example servers read from the environment besides PORT and HOST (see listenAddress):
 * MONGODB_URI (its database, else `simple_jwt_example`; without it the development database launcher)
 * and SIMPLE_JWT_* settings, with the example's defaults (rotation, blacklist after rotation, access
 * and sliding tokens, login throttling). SIMPLE_JWT_REFRESH_COOKIE=true turns on the refresh cookie
 * for browser clients (SIMPLE_JWT_REFRESH_COOKIE_SECURE=false for plain http://localhost) and
 * CORS_ORIGINS lists other origins allowed to call with credentials (comma-separated).
 */
export async function exampleServerEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const databaseName = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^/?]+)/.exec(env['MONGODB_URI'] ?? '')?.[1];
  const database = await launchDevDatabase({ databaseName: databaseName ?? 'simple_jwt_example' });
  const connection = await mongoose.createConnection(database.uri).asPromise();

  const settings: SimpleJwtSettings = settingsFromEnv(env);
  if (!(settings.algorithm ?? 'HS256').startsWith('HS')) {
    useKeyRing(settings);
  } else if (!settings.signingKey && !settings.signingKeys) {
    settings.signingKey = randomBytes(64).toString('base64url');
    console.warn(
      'SIMPLE_JWT_SIGNING_KEY is not set: using a random key, so tokens do not survive a restart.',
    );
  }
  settings.rotateRefreshTokens ??= true;
  settings.blacklistAfterRotation ??= true;
  settings.authTokenClasses ??= ['access', 'sliding'];
  // Failed logins are counted per username and per socket peer address (login_attempts collection).
  settings.loginThrottle ??= true;

  const refreshCookie = refreshCookieFromEnv(env);
  const corsOrigins = (env['CORS_ORIGINS'] ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);

  const close = async () => {
    await connection.close();
    await database.stop();
  };
  return { connection, settings, refreshCookie, corsOrigins, close };
}

/**
 * Where an example server listens: PORT (else `defaultPort`; 0 picks a free one) on HOST, else on
 * 127.0.0.1 only, because the server seeds a well-known password. `HOST=0.0.0.0` (or `::`) serves
 * every interface, e.g. in a container.
 */
export function listenAddress(env: NodeJS.ProcessEnv, defaultPort: number) {
  return { port: Number(env['PORT'] ?? defaultPort), host: env['HOST'] || '127.0.0.1' };
}

/** The URL to print for a listening server: its own address, or `localhost` for every interface. */
export function serverUrl({ address, family, port }: AddressInfo, path: string): string {
  const wildcard = address === '0.0.0.0' || address === '::';
  const host = wildcard ? 'localhost' : family === 'IPv6' ? `[${address}]` : address;
  return `http://${host}:${port}${path}`;
}

/** Creates the user demo / demo-password unless it exists. */
export async function ensureDemoUser(User: UserModel, passwordHasher: PasswordHasher): Promise<void> {
  if (await User.exists({ username: { $eq: 'demo' } })) return;
  await createUser(User, { username: 'demo', password: 'demo-password' }, passwordHasher);
  console.log('Created the user demo / demo-password.');
}

/**
 * With an asymmetric algorithm the example signs from a key ring, so that its tokens carry a `kid` and
 * its keys can be rotated while services verify through its JWKS: SIMPLE_JWT_SIGNING_KEYS (and
 * SIMPLE_JWT_RETIRED_KEYS), else SIMPLE_JWT_SIGNING_KEY as a ring of one, else a new key.
 */
function useKeyRing(settings: SimpleJwtSettings): void {
  if (settings.signingKeys) return;
  if (settings.signingKey && !settings.verifyingKey && !settings.jwkUrl) {
    settings.signingKeys = [settings.signingKey];
    settings.signingKey = undefined;
    return;
  }
  if (settings.signingKey || settings.verifyingKey || settings.jwkUrl) return;
  const algorithm = settings.algorithm ?? 'ES256';
  const generated = generateSigningKey(algorithm);
  settings.signingKeys = [generated.signingKey];
  console.warn(
    `SIMPLE_JWT_SIGNING_KEYS is not set: using a new ${algorithm} key (kid ${generated.kid}), so tokens do not survive a restart. Make one with: npx simple-jwt-keys generate --alg ${algorithm}`,
  );
}
