import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenBackend } from '../../src/backend/create-token-backend.js';
import { ImproperlyConfiguredError } from '../../src/errors.js';
import { type Algorithm, resolveSettings, type SimpleJwtSettings } from '../../src/settings.js';
import { forgeJwt, rs256Signer } from '../support/forge-jwt.js';
import { hmacSecret, type TestKeyKind, testKeys } from '../support/jwt-keys.js';
import { testClock, testSettings, y2k } from '../support/token-fixture.js';

const generateCommand = `node -e "console.log(require('crypto').randomBytes(64).toString('base64url'))"`;

function build(settings: SimpleJwtSettings) {
  return createTokenBackend(resolveSettings(settings), testClock());
}

/** The refusal `build(settings)` throws: an ImproperlyConfiguredError naming `setting`. */
function refusal(settings: SimpleJwtSettings): ImproperlyConfiguredError {
  try {
    build(settings);
  } catch (error) {
    expect(error).toBeInstanceOf(ImproperlyConfiguredError);
    return error as ImproperlyConfiguredError;
  }
  throw new Error('expected the configuration to be refused');
}

describe('algorithm', () => {
  it.each(['none', 'HS1', 'ES256K', 'hs256'])('refuses %s at start-up', (algorithm) => {
    expect(() => resolveSettings({ algorithm: algorithm as Algorithm, signingKey: hmacSecret })).toThrow(
      `Simple JWT setting 'algorithm': Unrecognized algorithm type "${algorithm}"`,
    );
    // The backend refuses it too when handed settings that skipped resolveSettings.
    const settings = { ...testSettings(), algorithm: algorithm as Algorithm };
    expect(() => createTokenBackend(settings, testClock())).toThrow(ImproperlyConfiguredError);
  });

  it('builds an HS256 backend', () => {
    expect(build({ signingKey: hmacSecret }).algorithm).toBe('HS256');
  });
});

describe('HMAC secrets', () => {
  it.each([
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ] as const)('%s needs %i bytes: one less is refused with how to generate one', (algorithm, bytes) => {
    const error = refusal({ algorithm, signingKey: 'k'.repeat(bytes - 1) });
    expect(error.setting).toBe('signingKey');
    expect(error.message).toContain(`at least ${bytes} bytes`);
    expect(error.message).toContain(`got ${bytes - 1}`);
    expect(error.message).toContain(generateCommand);
    expect(build({ algorithm, signingKey: 'k'.repeat(bytes) }).algorithm).toBe(algorithm);
  });

  it('counts bytes, not characters', () => {
    expect(refusal({ signingKey: '€'.repeat(10) }).message).toContain('got 30'); // 10 chars, 30 bytes
    expect(() => build({ signingKey: '€'.repeat(11) })).not.toThrow(); // 33 bytes
  });

  it('accepts a Buffer or a secret KeyObject', () => {
    expect(() => build({ signingKey: Buffer.alloc(32, 7) })).not.toThrow();
    expect(() => build({ signingKey: createSecretKey(Buffer.alloc(32, 7)) })).not.toThrow();
    expect(refusal({ signingKey: createSecretKey(Buffer.alloc(31, 7)) }).message).toContain('got 31');
  });

  it('requires a signing key', () => {
    const error = refusal({});
    expect(error.setting).toBe('signingKey');
    expect(error.message).toContain(generateCommand);
  });

  it.each([
    ['a public key PEM', () => testKeys('rsa2048').publicPem],
    ['a private key PEM', () => testKeys('p256').privatePem],
    ['an SSH public key', () => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEEXAMPLEEXAMPLE user@host`],
  ])('refuses %s as a secret (the algorithm-confusion key)', (_name, material) => {
    const error = refusal({ signingKey: material() });
    expect(error.setting).toBe('signingKey');
    expect(error.message).toContain('needs a shared secret');
  });

  it('refuses an asymmetric KeyObject as a secret', () => {
    expect(refusal({ signingKey: testKeys('rsa2048').privateKey }).message).toContain(
      'needs a shared secret, got a private key',
    );
  });

  it('ignores verifyingKey and jwkUrl', async () => {
    const backend = build({
      signingKey: hmacSecret,
      verifyingKey: 'junk',
      jwkUrl: 'http://127.0.0.1:9/jwks',
    });
    const token = backend.encode({ exp: y2k + 60 });
    await expect(backend.decode(token)).resolves.toEqual({ exp: y2k + 60 });
  });
});

describe('asymmetric keys', () => {
  it.each([
    ['RS256', 'rsa2048'],
    ['RS512', 'rsa2048'],
    ['PS256', 'rsa2048'],
    ['PS256', 'rsaPss256'],
    ['ES256', 'p256'],
    ['ES384', 'p384'],
    ['ES512', 'p521'],
    ['EdDSA', 'ed25519'],
    ['EdDSA', 'ed448'],
  ] as const)('%s accepts a %s private key and derives the public key', async (algorithm, kind) => {
    const backend = build({ algorithm, signingKey: testKeys(kind).privatePem });
    const token = backend.encode({ exp: y2k + 60 });
    await expect(backend.decode(token)).resolves.toEqual({ exp: y2k + 60 });
  });

  it.each<[Algorithm, TestKeyKind, string]>([
    ['RS256', 'p256', 'RS256 needs an RSA key, got an EC key on prime256v1'],
    ['RS256', 'rsa1024', 'RS256 needs an RSA key of at least 2048 bits, got 1024 bits'],
    ['RS256', 'rsaPss256', 'RS256 needs an RSA key, got an RSA-PSS key'],
    ['PS256', 'rsa1024', 'PS256 needs an RSA key of at least 2048 bits'],
    ['PS384', 'rsaPss256', 'PS384 needs an RSA-PSS key restricted to sha384'],
    ['ES256', 'p384', 'ES256 needs an EC key on P-256, got an EC key on secp384r1'],
    ['ES256', 'secp256k1', 'ES256 needs an EC key on P-256, got an EC key on secp256k1'],
    ['ES384', 'p256', 'ES384 needs an EC key on P-384'],
    ['ES512', 'p384', 'ES512 needs an EC key on P-521'],
    ['ES256', 'rsa2048', 'ES256 needs an EC key on P-256, got an RSA key'],
    ['EdDSA', 'p256', 'EdDSA needs an Ed25519 or Ed448 key'],
    ['RS256', 'ed25519', 'RS256 needs an RSA key, got an Ed25519 key'],
  ])('%s refuses a %s key', (algorithm, kind, message) => {
    const asSigningKey = refusal({ algorithm, signingKey: testKeys(kind).privatePem });
    expect(asSigningKey.setting).toBe('signingKey');
    expect(asSigningKey.message).toContain(message);
    const asVerifyingKey = refusal({ algorithm, verifyingKey: testKeys(kind).publicPem });
    expect(asVerifyingKey.setting).toBe('verifyingKey');
    expect(asVerifyingKey.message).toContain(message);
  });

  it.each([
    ['PEM', () => testKeys('rsa2048').publicPem],
    ['KeyObject', () => testKeys('rsa2048').publicKey],
  ])('refuses a public key (%s) as signingKey', (_form, material) => {
    const error = refusal({ algorithm: 'RS256', signingKey: material() });
    expect(error.setting).toBe('signingKey');
    expect(error.message).toContain('got a public key, which cannot sign');
  });

  it.each([
    ['PEM', () => testKeys('rsa2048').privatePem],
    ['KeyObject', () => testKeys('rsa2048').privateKey],
  ])('refuses a private key (%s) as verifyingKey', (_form, material) => {
    const error = refusal({ algorithm: 'RS256', verifyingKey: material() });
    expect(error.setting).toBe('verifyingKey');
    expect(error.message).toContain('got a private key');
  });

  it('refuses a verifyingKey that does not match signingKey', () => {
    const error = refusal({
      algorithm: 'RS256',
      signingKey: testKeys('rsa2048').privatePem,
      verifyingKey: testKeys('rsa2048b').publicPem,
    });
    expect(error.setting).toBe('verifyingKey');
    expect(error.message).toContain('does not match signingKey');
    expect(() =>
      build({
        algorithm: 'RS256',
        signingKey: testKeys('rsa2048').privatePem,
        verifyingKey: testKeys('rsa2048').publicPem,
      }),
    ).not.toThrow();
  });

  it('refuses text that is no key', () => {
    const error = refusal({ algorithm: 'ES256', signingKey: 'not a key at all' });
    expect(error.setting).toBe('signingKey');
    expect(error.message).toContain('ES256 needs a private key as PEM text or a KeyObject');
    expect(refusal({ algorithm: 'ES256', verifyingKey: 'not a key' }).setting).toBe('verifyingKey');
  });

  it('refuses no key and no jwkUrl', () => {
    const error = refusal({ algorithm: 'RS256' });
    expect(error.setting).toBe('signingKey');
    expect(error.message).toContain('is missing: RS256 needs a private signingKey');
  });

  it('runs verify-only with a verifyingKey: decodes, and refuses to encode', async () => {
    const backend = build({ algorithm: 'RS256', verifyingKey: testKeys('rsa2048').publicPem });
    const token = forgeJwt(
      { alg: 'RS256', typ: 'JWT' },
      { exp: y2k + 60 },
      rs256Signer(testKeys('rsa2048').privateKey),
    );
    await expect(backend.decode(token)).resolves.toEqual({ exp: y2k + 60 });
    expect(() => backend.encode({ exp: y2k + 60 })).toThrow(
      "Simple JWT setting 'signingKey': this service has no signing key (it only verifies tokens), so it cannot issue them",
    );
  });

  it.each(['ftp://example.test/jwks.json', 'not a url'])('refuses jwkUrl %s', (jwkUrl) => {
    const error = refusal({ algorithm: 'RS256', jwkUrl });
    expect(error.setting).toBe('jwkUrl');
  });

  it('accepts a jwkUrl alone', () => {
    expect(
      build({ algorithm: 'RS256', jwkUrl: 'https://issuer.example/.well-known/jwks.json' }).algorithm,
    ).toBe('RS256');
  });
});
