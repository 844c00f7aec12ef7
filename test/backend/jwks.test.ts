import type { JsonWebKey, KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenBackend } from '../../src/backend/create-token-backend.js';
import { TokenBackendError, TokenBackendExpiredError } from '../../src/backend/token-backend.js';
import type { SimpleJwtSettings } from '../../src/settings.js';
import { eddsaSigner, forgeJwt, rs256Signer } from '../support/forge-jwt.js';
import { testKeys } from '../support/jwt-keys.js';
import { testClock, testSettings, y2k } from '../support/token-fixture.js';

const jwk = (key: KeyObject, extra: Record<string, string>): JsonWebKey => ({
  ...key.export({ format: 'jwk' }),
  ...extra,
});

/** A JWKS endpoint on 127.0.0.1 whose answer and request count the tests control. */
let keys: JsonWebKey[] = [];
let status = 200;
let requests = 0;
let jwkUrl = '';
const server = createServer((_request, response) => {
  requests++;
  response.statusCode = status;
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ keys }));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwkUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  keys = [
    jwk(testKeys('rsa2048b').publicKey, { kid: 'key-2', alg: 'RS256', use: 'sig' }),
    jwk(testKeys('rsa2048').publicKey, { kid: 'key-1' }),
    jwk(testKeys('rsa2048').publicKey, { kid: 'rs512', alg: 'RS512' }),
    jwk(testKeys('p256').publicKey, { kid: 'ec' }),
  ];
  status = 200;
  requests = 0;
});

function jwksBackend(settings: SimpleJwtSettings = {}, options = {}) {
  const clock = testClock();
  const backend = createTokenBackend(testSettings({ algorithm: 'RS256', jwkUrl, ...settings }), clock, {
    jwks: options,
  });
  return { backend, clock };
}

const rs256 = (kid: string | undefined, claims: object, key = testKeys('rsa2048b').privateKey) =>
  forgeJwt({ alg: 'RS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }) }, claims, rs256Signer(key));

async function rejection(promise: Promise<unknown>): Promise<TokenBackendError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TokenBackendError);
  return error as TokenBackendError;
}

describe('jwkUrl', () => {
  it('verifies with the JWKS key the kid names, not verifyingKey', async () => {
    const { backend } = jwksBackend({ verifyingKey: testKeys('rsa2048').publicPem });
    await expect(backend.decode(rs256('key-2', { exp: y2k + 60 }))).resolves.toEqual({ exp: y2k + 60 });
    // Signed by the verifyingKey's private key but naming key-2: the JWKS key decides, and refuses it.
    await rejection(backend.decode(rs256('key-2', { exp: y2k + 60 }, testKeys('rsa2048').privateKey)));
  });

  it('fetches a key once and then decodes synchronously from the cache', async () => {
    const { backend } = jwksBackend();
    const token = rs256('key-2', { exp: y2k + 60 });
    expect(backend.decodeSync?.(token)).toBeUndefined();
    expect(requests).toBe(0);
    await backend.decode(token);
    await backend.decode(token);
    expect(backend.decodeSync?.(token)).toEqual({ exp: y2k + 60 });
    expect(requests).toBe(1);
  });

  it('decodeSync still runs the cheap checks before wanting a key', () => {
    const { backend } = jwksBackend();
    expect(() => backend.decodeSync?.('junk')).toThrow(TokenBackendError);
    expect(backend.decodeSync?.(rs256('key-2', { exp: y2k + 60 }), { verify: false })).toEqual({
      exp: y2k + 60,
    });
  });

  it('reports an expired token from a JWKS key as expired', async () => {
    const { backend } = jwksBackend();
    await expect(backend.decode(rs256('key-2', { exp: y2k - 1 }))).rejects.toThrow(TokenBackendExpiredError);
  });

  it('an unknown kid is an invalid token', async () => {
    const { backend } = jwksBackend();
    expect((await rejection(backend.decode(rs256('nope', { exp: y2k + 60 })))).message).toContain(
      "Unable to find a signing key that matches 'nope'",
    );
  });

  it('no kid with several keys is an invalid token', async () => {
    const { backend } = jwksBackend();
    await rejection(backend.decode(rs256(undefined, { exp: y2k + 60 })));
  });

  it('refuses a JWKS key declared for another algorithm or of the wrong type', async () => {
    const { backend } = jwksBackend();
    const rs512 = await rejection(
      backend.decode(rs256('rs512', { exp: y2k + 60 }, testKeys('rsa2048').privateKey)),
    );
    expect(rs512.message).toBe('JWKS key is for RS512, not RS256');
    const ec = await rejection(backend.decode(rs256('ec', { exp: y2k + 60 })));
    expect(ec.message).toBe('JWKS key refused: RS256 needs an RSA key, got an EC key on prime256v1');
  });

  it('an endpoint error or an unreachable endpoint is an invalid token', async () => {
    status = 500;
    await rejection(jwksBackend().backend.decode(rs256('key-2', { exp: y2k + 60 })));
    const closed = createTokenBackend(
      testSettings({ algorithm: 'RS256', jwkUrl: 'http://127.0.0.1:9/jwks.json' }),
      testClock(),
    );
    await rejection(closed.decode(rs256('key-2', { exp: y2k + 60 })));
  });

  it('picks up a key published after the first fetch by its unknown kid, once, keeping cached keys', async () => {
    keys = [jwk(testKeys('rsa2048b').publicKey, { kid: 'key-2', alg: 'RS256' })];
    const { backend } = jwksBackend();
    const byKey2 = rs256('key-2', { exp: y2k + 60 });
    await backend.decode(byKey2);
    expect(requests).toBe(1);
    // The issuer rotates: key-3 joins the set. No restart, no waiting for the cache to age.
    keys = [jwk(testKeys('rsa2048').publicKey, { kid: 'key-3', alg: 'RS256' }), ...keys];
    const byKey3 = rs256('key-3', { exp: y2k + 60 }, testKeys('rsa2048').privateKey);
    await expect(backend.decode(byKey3)).resolves.toEqual({ exp: y2k + 60 });
    expect(requests).toBe(2);
    await backend.decode(byKey3);
    await backend.decode(byKey2);
    expect(requests).toBe(2);
  });

  it('rate-limits lookups so unknown kids cannot flood the endpoint', async () => {
    const { backend } = jwksBackend({}, { requestsPerMinute: 2 });
    for (const kid of ['a', 'b', 'c', 'd']) await rejection(backend.decode(rs256(kid, { exp: y2k + 60 })));
    expect(requests).toBe(2);
  });

  it('asks the endpoint again once a cached key is older than cacheMaxAgeMs', async () => {
    const { backend, clock } = jwksBackend({}, { cacheMaxAgeMs: 1000 });
    const token = rs256('key-2', { exp: y2k + 3600 });
    await backend.decode(token);
    clock.advance(2);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // jwks-rsa's own cache runs on real time
    expect(backend.decodeSync?.(token)).toBeUndefined();
    await backend.decode(token);
    expect(requests).toBe(2);
  });

  it('serves EdDSA keys (OKP) too', async () => {
    keys = [jwk(testKeys('ed25519').publicKey, { kid: 'ed', alg: 'EdDSA' })];
    const backend = createTokenBackend(testSettings({ algorithm: 'EdDSA', jwkUrl }), testClock());
    const token = forgeJwt(
      { alg: 'EdDSA', typ: 'JWT', kid: 'ed' },
      { exp: y2k + 60 },
      eddsaSigner(testKeys('ed25519').privateKey),
    );
    await expect(backend.decode(token)).resolves.toEqual({ exp: y2k + 60 });
  });
});
