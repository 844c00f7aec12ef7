import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import {
  createUser,
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
 * and sliding tokens). SIMPLE_JWT_REFRESH_COOKIE=true turns on the refresh cookie for browser clients
 * (SIMPLE_JWT_REFRESH_COOKIE_SECURE=false for plain http://localhost) and CORS_ORIGINS lists other
 * origins allowed to call with credentials (comma-separated).
 */
export async function exampleServerEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const databaseName = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^/?]+)/.exec(env['MONGODB_URI'] ?? '')?.[1];
  const database = await launchDevDatabase({ databaseName: databaseName ?? 'simple_jwt_example' });
  const connection = await mongoose.createConnection(database.uri).asPromise();

  const settings: SimpleJwtSettings = settingsFromEnv(env);
  if (!settings.signingKey) {
    settings.signingKey = randomBytes(64).toString('base64url');
    console.warn(
      'SIMPLE_JWT_SIGNING_KEY is not set: using a random key, so tokens do not survive a restart.',
    );
  }
  settings.rotateRefreshTokens ??= true;
  settings.blacklistAfterRotation ??= true;
  settings.authTokenClasses ??= ['access', 'sliding'];

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
