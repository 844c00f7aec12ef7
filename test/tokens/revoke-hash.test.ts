import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ImproperlyConfiguredError } from '../../src/errors.js';
import { createRevokeHasher } from '../../src/tokens/revoke-hash.js';
import { hmacSecret, testKeys } from '../support/jwt-keys.js';
import { testSettings } from '../support/token-fixture.js';

const passwordHash = 'pbkdf2_sha256$870000$salt$c29tZWhhc2g=';

/** The documented construction, computed independently. */
function expected(ikm: Buffer, value: string): string {
  const key = Buffer.from(
    hkdfSync('sha256', ikm, Buffer.alloc(0), 'pothos-plugin-simple-jwt revoke-token-claim v1', 32),
  );
  return createHmac('sha256', key).update(value).digest('hex').toUpperCase();
}

describe('createRevokeHasher', () => {
  it('HS*: HMAC-SHA256 keyed by HKDF of the secret, uppercase hex', () => {
    const hash = createRevokeHasher(testSettings())(passwordHash);
    expect(hash).toBe(expected(Buffer.from(hmacSecret), passwordHash));
    expect(hash).toMatch(/^[0-9A-F]{64}$/);
    // Not Simple JWT's unkeyed MD5.
    expect(hash).not.toBe(createHash('md5').update(passwordHash).digest('hex').toUpperCase());
  });

  it('changes with the password hash and with the key', () => {
    const hasher = createRevokeHasher(testSettings());
    expect(hasher(passwordHash)).toBe(hasher(passwordHash));
    expect(hasher(`${passwordHash}x`)).not.toBe(hasher(passwordHash));
    const other = createRevokeHasher(testSettings({ signingKey: 'another secret of at least 32 bytes!!' }));
    expect(other(passwordHash)).not.toBe(hasher(passwordHash));
  });

  it('asymmetric: keyed by the public key, so issuer and verify-only services agree', () => {
    const rsa = testKeys('rsa2048');
    const issuer = createRevokeHasher(testSettings({ algorithm: 'RS256', signingKey: rsa.privatePem }));
    const verifier = createRevokeHasher(testSettings({ algorithm: 'RS256', verifyingKey: rsa.publicPem }));
    const spki = rsa.publicKey.export({ format: 'der', type: 'spki' });
    expect(issuer(passwordHash)).toBe(expected(spki, passwordHash));
    expect(verifier(passwordHash)).toBe(issuer(passwordHash));
  });

  it('refuses checkRevokeToken on a service with only a jwkUrl', () => {
    const jwksOnly = { algorithm: 'RS256', jwkUrl: 'https://issuer.example/jwks.json' } as const;
    expect(() => createRevokeHasher(testSettings({ ...jwksOnly, checkRevokeToken: true }))).toThrow(
      ImproperlyConfiguredError,
    );
    const hasher = createRevokeHasher(testSettings(jwksOnly));
    expect(() => hasher(passwordHash)).toThrow('Revoke hashes need a signingKey or verifyingKey');
  });
});
