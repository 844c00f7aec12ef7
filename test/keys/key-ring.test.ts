import {
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import jsonwebtoken from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { createTokenBackend } from '../../src/backend/create-token-backend.js';
import { TokenBackendError } from '../../src/backend/token-backend.js';
import { ImproperlyConfiguredError } from '../../src/errors.js';
import { jwkThumbprint } from '../../src/keys/public-jwk.js';
import { resolveSettings, type SimpleJwtSettings } from '../../src/settings.js';
import { eddsaSigner, forgeJwt, hmacSigner, type Signer, segmentJson } from '../support/forge-jwt.js';
import { hmacSecret, longHmacSecret, testKeys } from '../support/jwt-keys.js';
import { testClock, y2k } from '../support/token-fixture.js';

const claims = { user_id: 'u1', exp: y2k + 60 };
const backendWith = (settings: SimpleJwtSettings) =>
  createTokenBackend(resolveSettings(settings), testClock());
const ecdsaSigner =
  (key: KeyObject): Signer =>
  (signingInput) =>
    cryptoSign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
const headerOf = (token: string) => segmentJson(token, 0) as Record<string, unknown>;

async function rejection(promise: Promise<unknown>): Promise<TokenBackendError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TokenBackendError);
  return error as TokenBackendError;
}

function configurationError(settings: SimpleJwtSettings): ImproperlyConfiguredError {
  const error = (() => {
    try {
      backendWith(settings);
    } catch (caught) {
      return caught;
    }
    return undefined;
  })();
  expect(error).toBeInstanceOf(ImproperlyConfiguredError);
  return error as ImproperlyConfiguredError;
}

describe('RFC 7638 thumbprints', () => {
  it("gives the RFC's own example its published thumbprint, ignoring optional members", () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('is the default kid: the same for the private key in signingKeys and its public key in retiredKeys', () => {
    const { privatePem, publicKey } = testKeys('p256');
    const expected = jwkThumbprint(publicKey.export({ format: 'jwk' }));
    const signer = backendWith({ algorithm: 'ES256', signingKeys: [privatePem] });
    expect(headerOf(signer.encode(claims))).toEqual({ alg: 'ES256', typ: 'JWT', kid: expected });
    const verifier = backendWith({
      algorithm: 'ES256',
      signingKeys: [testKeys('p256b').privatePem],
      retiredKeys: [testKeys('p256').publicPem],
    });
    expect(verifier.jwks?.().keys.map((key) => key.kid)).toContain(expected);
  });
});

describe('signingKeys: the first signs, all verify', () => {
  const ring = {
    algorithm: 'ES256',
    signingKeys: [
      { key: testKeys('p256').privatePem, kid: 'new' },
      { key: testKeys('p256b').privateKey, kid: 'old' },
    ],
  } as const;

  it('signs with the first key and writes its kid into the header', async () => {
    const token = backendWith(ring).encode(claims);
    expect(headerOf(token)).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'new' });
    expect(
      jsonwebtoken.verify(token, testKeys('p256').publicPem, { algorithms: ['ES256'], clockTimestamp: y2k }),
    ).toMatchObject(claims);
  });

  it('verifies a token of any key by its kid, and only with the key the kid names', async () => {
    const backend = backendWith(ring);
    const byOld = forgeJwt(
      { alg: 'ES256', typ: 'JWT', kid: 'old' },
      claims,
      ecdsaSigner(testKeys('p256b').privateKey),
    );
    await expect(backend.decode(byOld)).resolves.toEqual(claims);
    expect(backend.decodeSync?.(byOld)).toEqual(claims);
    const oldSignedNamedNew = forgeJwt(
      { alg: 'ES256', typ: 'JWT', kid: 'new' },
      claims,
      ecdsaSigner(testKeys('p256b').privateKey),
    );
    await rejection(backend.decode(oldSignedNamedNew));
  });

  it('an unknown kid fails like a bad signature, synchronously too', async () => {
    const backend = backendWith(ring);
    const token = forgeJwt(
      { alg: 'ES256', typ: 'JWT', kid: 'other' },
      claims,
      ecdsaSigner(testKeys('p256').privateKey),
    );
    expect((await rejection(backend.decode(token))).message).toBe('No key has the kid of this token');
    expect(() => backend.decodeSync?.(token)).toThrow(TokenBackendError);
  });

  it('a token without kid (from before the key ring) is tried against the active key only', async () => {
    const backend = backendWith(ring);
    const byActive = forgeJwt({ alg: 'ES256', typ: 'JWT' }, claims, ecdsaSigner(testKeys('p256').privateKey));
    await expect(backend.decode(byActive)).resolves.toEqual(claims);
    const byOther = forgeJwt({ alg: 'ES256', typ: 'JWT' }, claims, ecdsaSigner(testKeys('p256b').privateKey));
    await rejection(backend.decode(byOther));
  });

  it('retired keys only verify', async () => {
    const backend = backendWith({
      algorithm: 'ES256',
      signingKeys: [{ key: testKeys('p256').privatePem, kid: 'k2' }],
      retiredKeys: [{ key: testKeys('p256b').publicPem, kid: 'k1' }],
    });
    const byRetired = forgeJwt(
      { alg: 'ES256', typ: 'JWT', kid: 'k1' },
      claims,
      ecdsaSigner(testKeys('p256b').privateKey),
    );
    await expect(backend.decode(byRetired)).resolves.toEqual(claims);
    expect(headerOf(backend.encode(claims))['kid']).toBe('k2');
    // Once removed, its tokens fail.
    const removed = backendWith({
      algorithm: 'ES256',
      signingKeys: [{ key: testKeys('p256').privatePem, kid: 'k2' }],
    });
    await rejection(removed.decode(byRetired));
  });

  it('rotates HMAC secrets the same way, and never publishes them', async () => {
    const backend = backendWith({
      algorithm: 'HS256',
      signingKeys: [{ key: longHmacSecret, kid: 'h2' }],
      retiredKeys: [{ key: hmacSecret, kid: 'h1' }],
    });
    const token = backend.encode(claims);
    expect(headerOf(token)).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'h2' });
    const byRetired = forgeJwt({ alg: 'HS256', typ: 'JWT', kid: 'h1' }, claims, hmacSigner(hmacSecret));
    await expect(backend.decode(byRetired)).resolves.toEqual(claims);
    expect(backend.jwks?.()).toEqual({ keys: [] });
  });

  it('signs EdDSA with a kid too', async () => {
    const backend = backendWith({ algorithm: 'EdDSA', signingKeys: [testKeys('ed25519').privateKey] });
    const token = backend.encode(claims);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(headerOf(token)).toMatchObject({ alg: 'EdDSA', typ: 'JWT', kid: expect.any(String) });
    expect(
      cryptoVerify(
        null,
        Buffer.from(`${header}.${payload}`),
        testKeys('ed25519').publicKey,
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
    await expect(backend.decode(token)).resolves.toEqual(claims);
    const other = forgeJwt(
      { alg: 'EdDSA', typ: 'JWT', kid: headerOf(token)['kid'] },
      claims,
      eddsaSigner(testKeys('ed25519b').privateKey),
    );
    await rejection(backend.decode(other));
  });
});

describe('the public JWK Set', () => {
  it('lists active and retired keys with kid, alg and use, and standard public members only', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const backend = backendWith({
      algorithm: 'RS256',
      signingKeys: [{ key: rsa.privateKey, kid: 'active' }],
      retiredKeys: [{ key: testKeys('rsa2048').publicPem, kid: 'retired' }],
    });
    const { keys } = backend.jwks?.() ?? { keys: [] };
    expect(keys.map((key) => key.kid)).toEqual(['active', 'retired']);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    }
    // The published key is the public key: a verifier importing the JWK checks our tokens.
    const imported = createPublicKey({ key: { ...keys[0] }, format: 'jwk' });
    expect(imported.equals(createPublicKey(rsa.privateKey))).toBe(true);
  });

  it.each([
    ['ES256', 'p256', ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']],
    ['ES512', 'p521', ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']],
    ['EdDSA', 'ed25519', ['alg', 'crv', 'kid', 'kty', 'use', 'x']],
  ] as const)('%s keys publish only the standard members', (algorithm, kind, members) => {
    const { keys } = backendWith({ algorithm, signingKeys: [testKeys(kind).privateKey] }).jwks?.() ?? {
      keys: [],
    };
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0] ?? {}).sort()).toEqual(members);
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('a single asymmetric signingKey is published under its thumbprint; HMAC and verify-only backends publish nothing', () => {
    const { keys } = backendWith({
      algorithm: 'ES256',
      signingKey: testKeys('p256').privatePem,
    }).jwks?.() ?? { keys: [] };
    expect(keys).toEqual([
      expect.objectContaining({
        kid: jwkThumbprint(testKeys('p256').publicKey.export({ format: 'jwk' })),
        alg: 'ES256',
      }),
    ]);
    expect(backendWith({ algorithm: 'HS256', signingKey: hmacSecret }).jwks?.()).toEqual({ keys: [] });
    expect(backendWith({ algorithm: 'ES256', verifyingKey: testKeys('p256').publicPem }).jwks?.()).toEqual({
      keys: [],
    });
  });
});

describe('key ring configuration errors', () => {
  it.each<[string, SimpleJwtSettings, string, RegExp]>([
    ['an empty list', { signingKeys: [] }, 'signingKeys', /non-empty list/],
    ['a bad entry', { signingKeys: [42 as never] }, 'signingKeys[0]', /expected a key/],
    ['an empty kid', { signingKeys: [{ key: hmacSecret, kid: '' }] }, 'signingKeys[0].kid', /1 to 255/],
    ['a short HMAC secret', { signingKeys: [hmacSecret, 'short'] }, 'signingKeys[1]', /at least 32 bytes/],
    [
      'a public key to sign',
      { algorithm: 'ES256', signingKeys: [testKeys('p256').publicPem] },
      'signingKeys[0]',
      /public key, which cannot sign/,
    ],
    [
      'a key of another curve',
      { algorithm: 'ES256', signingKeys: [testKeys('p384').privatePem] },
      'signingKeys[0]',
      /P-256/,
    ],
    [
      'a private retired key',
      {
        algorithm: 'ES256',
        signingKeys: [testKeys('p256').privatePem],
        retiredKeys: [testKeys('p256b').privatePem],
      },
      'retiredKeys[0]',
      /got a private key/,
    ],
    [
      'a kid used twice',
      { signingKeys: [{ key: hmacSecret, kid: 'a' }], retiredKeys: [{ key: longHmacSecret, kid: 'a' }] },
      'retiredKeys[0]',
      /used twice/,
    ],
    [
      'the same key twice',
      {
        algorithm: 'ES256',
        signingKeys: [testKeys('p256').privatePem],
        retiredKeys: [testKeys('p256').publicPem],
      },
      'retiredKeys[0]',
      /used twice/,
    ],
    ['retiredKeys alone', { retiredKeys: [hmacSecret] }, 'retiredKeys', /needs signingKeys/],
    [
      'signingKeys with signingKey',
      { signingKey: hmacSecret, signingKeys: [hmacSecret] },
      'signingKey',
      /cannot be combined/,
    ],
    [
      'signingKeys with jwkUrl',
      {
        algorithm: 'ES256',
        jwkUrl: 'https://example.com/jwks.json',
        signingKeys: [testKeys('p256').privatePem],
      },
      'jwkUrl',
      /cannot be combined/,
    ],
    [
      'a PSS-only key without kid',
      { algorithm: 'PS256', signingKeys: [testKeys('rsaPss256').privatePem] },
      'signingKeys[0]',
      /give its kid/,
    ],
  ])('refuses %s at start-up', (_case, settings, setting, message) => {
    const error = configurationError(settings);
    expect(error.setting).toBe(setting);
    expect(error.message).toMatch(message);
  });
});
