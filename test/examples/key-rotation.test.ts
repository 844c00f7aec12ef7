import { createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MeDocument,
  TokenObtainPairDocument,
  TokenRefreshDocument,
  TypedDocumentString,
} from '../../examples/generated/graphql.js';
import { findFreePort } from '../../src/dev-database/free-port.js';
import { jwkThumbprint } from '../../src/keys/public-jwk.js';
import { freshDatabaseUri } from '../support/database.js';
import {
  type ExampleProcess,
  startExampleProcess,
  stopAllExampleProcesses,
} from '../support/example-process.js';
import { segmentJson } from '../support/forge-jwt.js';
import { firstError, graphqlClient } from '../support/graphql-client.js';

// Rotation as an operator does it, across real processes: the example server (A) signs ES256 and
// publishes its JWKS; stateless services verify through jwkUrl; A restarts with a new active key and
// the old one retired, then without the old one.

const CallerDocument = new TypedDocumentString<{ caller: { id: string } | null }, Record<string, never>>(
  'query Caller { caller { id } }',
);

function newKey() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = createPublicKey(privateKey);
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    kid: jwkThumbprint(publicKey.export({ format: 'jwk' })),
  };
}
const key1 = newKey();
const key2 = newKey();

const databaseUri = freshDatabaseUri('key_rotation');
const portA = await findFreePort();
const jwksOfA = `http://127.0.0.1:${portA}/.well-known/jwks.json`;
const graphqlOfA = `http://127.0.0.1:${portA}/graphql`;
const boundedFetch = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
const onA = graphqlClient(boundedFetch, graphqlOfA);

// Between the long-lived service and A: counts how often the service fetches the key set.
let jwksFetches = 0;
const countingProxy = createServer(async (_request, response) => {
  jwksFetches++;
  const upstream = await boundedFetch(jwksOfA).catch(() => undefined);
  response.statusCode = upstream?.status ?? 502;
  response.setHeader('content-type', 'application/json');
  response.end(upstream ? await upstream.text() : '');
});

let serverA: ExampleProcess | undefined;
let service: ExampleProcess;
let shortCacheService: ExampleProcess;

function startA(env: Record<string, string>): Promise<ExampleProcess> {
  return startExampleProcess(
    'examples/yoga/server.ts',
    { PORT: String(portA), MONGODB_URI: databaseUri, SIMPLE_JWT_ALGORITHM: 'ES256', ...env },
    /GraphQL server ready at (http:\/\/\S+)/,
  );
}

function startService(jwkUrl: string, env: Record<string, string> = {}): Promise<ExampleProcess> {
  return startExampleProcess(
    'examples/stateless-service/server.ts',
    { PORT: '0', SIMPLE_JWT_ALGORITHM: 'ES256', SIMPLE_JWT_JWK_URL: jwkUrl, ...env },
    /Stateless service ready at (http:\/\/\S+)/,
  );
}

async function restartA(env: Record<string, string>): Promise<void> {
  await serverA?.stop();
  serverA = await startA(env);
}

const callerOn = (target: ExampleProcess, token: string) =>
  graphqlClient(boundedFetch, target.url)(CallerDocument, {}, { token });

async function login() {
  const response = await onA(TokenObtainPairDocument, { username: 'demo', password: 'demo-password' });
  const pair = response.data?.tokenObtainPair;
  if (!pair) throw new Error(`no token pair: ${response.body}`);
  return pair;
}

async function publishedKeys(): Promise<{ response: Response; keys: JsonWebKey[] }> {
  const response = await boundedFetch(jwksOfA);
  return { response, keys: ((await response.clone().json()) as { keys: JsonWebKey[] }).keys };
}

const kidOf = (token: string) => (segmentJson(token, 0) as { kid?: string }).kid;

beforeAll(async () => {
  await new Promise<void>((resolve) => countingProxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(countingProxy.address() as AddressInfo).port}/jwks.json`;
  serverA = await startA({ SIMPLE_JWT_SIGNING_KEYS: key1.privatePem });
  [service, shortCacheService] = await Promise.all([
    startService(proxyUrl),
    startService(jwksOfA, { JWKS_CACHE_MAX_AGE_MS: '1000' }),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.all([serverA?.stop(), service?.stop(), shortCacheService?.stop()].filter(Boolean));
  await stopAllExampleProcesses();
  await new Promise<void>((resolve) => countingProxy.close(() => resolve()));
  const database = await mongoose.createConnection(databaseUri).asPromise();
  await database.dropDatabase().catch(() => undefined);
  await database.close();
}, 60_000);

describe('key rotation without downtime, across processes', { timeout: 240_000 }, () => {
  let old: { access: string; refresh: string };

  it('A signs with key 1, publishes it, and the service verifies through the JWKS, fetching it once', async () => {
    const { response, keys } = await publishedKeys();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(keys).toEqual([
      {
        ...createPublicKey(key1.publicPem).export({ format: 'jwk' }),
        kid: key1.kid,
        alg: 'ES256',
        use: 'sig',
      },
    ]);
    // Only the standard members: what Simple JWT's JWK_URL client (PyJWT) reads.
    expect(Object.keys(keys[0] ?? {}).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);

    old = await login();
    expect(kidOf(old.access)).toBe(key1.kid);
    const me = await onA(MeDocument, {}, { token: old.access });
    expect(me.data?.me).toMatchObject({ username: 'demo' });
    const userId = String(me.data?.me?.id);

    for (let request = 0; request < 10; request++) {
      const caller = await callerOn(service, old.access);
      expect(caller.errors, caller.body).toBeUndefined();
      expect(caller.data?.caller).toEqual({ id: userId });
    }
    // Ten requests, one fetch: keys are cached by kid, never fetched per request.
    expect(jwksFetches).toBe(1);
  });

  it('A restarts with key 2 active and key 1 retired: old tokens keep working, new ones carry key 2', async () => {
    await restartA({ SIMPLE_JWT_SIGNING_KEYS: key2.privatePem, SIMPLE_JWT_RETIRED_KEYS: key1.publicPem });
    const { keys } = await publishedKeys();
    expect(keys.map((key) => key.kid)).toEqual([key2.kid, key1.kid]);

    // Tokens signed before the restart, on A and on the service.
    expect((await onA(MeDocument, {}, { token: old.access })).data?.me).toMatchObject({ username: 'demo' });
    expect((await callerOn(service, old.access)).errors).toBeUndefined();
    expect(jwksFetches).toBe(1);

    // A refresh token of key 1 still refreshes; what A issues now is signed with key 2.
    const refreshed = await onA(TokenRefreshDocument, { refresh: old.refresh });
    expect(refreshed.errors, refreshed.body).toBeUndefined();
    const access = refreshed.data?.tokenRefresh?.access as string;
    expect(kidOf(access)).toBe(key2.kid);
    expect(kidOf((await login()).access)).toBe(key2.kid);

    // The service has never seen key 2: the unknown kid makes it fetch the set once, without a restart.
    const caller = await callerOn(service, access);
    expect(caller.errors, caller.body).toBeUndefined();
    expect(jwksFetches).toBe(2);
    await callerOn(service, access);
    await callerOn(service, old.access);
    expect(jwksFetches).toBe(2);
    expect((await callerOn(shortCacheService, access)).errors).toBeUndefined();
  });

  it('once key 1 is removed, its tokens fail: on A at once, on a service when its cached copy ages out', async () => {
    const current = await login();
    await restartA({ SIMPLE_JWT_SIGNING_KEYS: key2.privatePem });
    expect((await publishedKeys()).keys.map((key) => key.kid)).toEqual([key2.kid]);

    const me = await onA(MeDocument, {}, { token: old.access });
    expect(me.status).toBe(401);
    expect(firstError(me).code).toBe('TOKEN_NOT_VALID');
    expect((await onA(MeDocument, {}, { token: current.access })).errors).toBeUndefined();

    // The service with a 1 s key cache refuses key 1 once its copy is older than that; it keeps
    // accepting key 2 throughout. (The long-lived service trusts its copy for its cache age, 10 minutes
    // by default: the wait the rotation checklist allows for.)
    let refused = await callerOn(shortCacheService, old.access);
    for (let attempt = 0; refused.status !== 401 && attempt < 60; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      refused = await callerOn(shortCacheService, old.access);
    }
    expect(refused.status).toBe(401);
    expect(firstError(refused).code).toBe('TOKEN_NOT_VALID');
    expect((await callerOn(shortCacheService, current.access)).errors).toBeUndefined();
    expect((await callerOn(service, current.access)).errors).toBeUndefined();
  });
});
