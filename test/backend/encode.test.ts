import { verify as cryptoVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SimpleJwtSettings } from '../../src/settings.js';
import { hmacSignature, segmentJson } from '../support/forge-jwt.js';
import { hmacSecret, longHmacSecret, testKeys } from '../support/jwt-keys.js';
import { testBackend, y2k } from '../support/token-fixture.js';

/** Simple JWT's own test payload, signed by Python's stdlib the way PyJWT signs (compact JSON, sorted header). */
const pythonVector =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjk0NjY4NDgwMH0.Ja9h0Zl68yKS9koAfbBSwSF8ZRZeY0idEAaidSuYNA0';

const segmentText = (token: string, index: number) =>
  Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8');

const everyAlgorithm: [string, () => SimpleJwtSettings][] = [
  ['HS256', () => ({ algorithm: 'HS256', signingKey: hmacSecret })],
  ['HS384', () => ({ algorithm: 'HS384', signingKey: longHmacSecret })],
  ['HS512', () => ({ algorithm: 'HS512', signingKey: longHmacSecret })],
  ['RS256', () => ({ algorithm: 'RS256', signingKey: testKeys('rsa2048').privatePem })],
  ['PS256', () => ({ algorithm: 'PS256', signingKey: testKeys('rsa2048').privatePem })],
  ['ES256', () => ({ algorithm: 'ES256', signingKey: testKeys('p256').privatePem })],
  ['ES384', () => ({ algorithm: 'ES384', signingKey: testKeys('p384').privatePem })],
  ['ES512', () => ({ algorithm: 'ES512', signingKey: testKeys('p521').privatePem })],
  ['EdDSA', () => ({ algorithm: 'EdDSA', signingKey: testKeys('ed25519').privatePem })],
];

describe('encode', () => {
  it('produces byte for byte what PyJWT produces for HS256', () => {
    expect(testBackend().encode({ exp: y2k })).toBe(pythonVector);
  });

  it('signs HS256 as HMAC-SHA256 over base64url(header).base64url(payload)', () => {
    const token = testBackend().encode({ user_id: '42', exp: y2k });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(signature).toBe(hmacSignature(hmacSecret, `${header}.${payload}`));
  });

  it.each(everyAlgorithm)(
    '%s: header is exactly {"alg","typ":"JWT"}, claims exactly as given',
    (alg, settings) => {
      const token = testBackend(settings()).encode({ b: 1, a: 'x', exp: y2k });
      expect(segmentText(token, 0)).toBe(`{"alg":"${alg}","typ":"JWT"}`);
      // No `iat` added (jsonwebtoken would add one from the real clock), and the claim order is kept.
      expect(segmentText(token, 1)).toBe(`{"b":1,"a":"x","exp":${y2k}}`);
    },
  );

  it('RS256 signatures are deterministic and verify independently', () => {
    const backend = testBackend({ algorithm: 'RS256', signingKey: testKeys('rsa2048').privatePem });
    const token = backend.encode({ exp: y2k });
    expect(backend.encode({ exp: y2k })).toBe(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const valid = cryptoVerify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      testKeys('rsa2048').publicKey,
      Buffer.from(signature, 'base64url'),
    );
    expect(valid).toBe(true);
  });

  it('ES256 signatures are JOSE (r||s), verifiable independently', () => {
    const token = testBackend({ algorithm: 'ES256', signingKey: testKeys('p256').privatePem }).encode({
      exp: y2k,
    });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(Buffer.from(signature, 'base64url')).toHaveLength(64);
    const key = { key: testKeys('p256').publicKey, dsaEncoding: 'ieee-p1363' as const };
    expect(
      cryptoVerify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url')),
    ).toBe(true);
  });

  it('EdDSA signatures verify independently', () => {
    const token = testBackend({ algorithm: 'EdDSA', signingKey: testKeys('ed25519').privatePem }).encode({
      exp: y2k,
    });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const data = Buffer.from(`${header}.${payload}`);
    expect(cryptoVerify(null, data, testKeys('ed25519').publicKey, Buffer.from(signature, 'base64url'))).toBe(
      true,
    );
  });

  it('adds aud and iss without mutating the payload', () => {
    const backend = testBackend({ audience: 'openid-client-id', issuer: 'https://www.myoidcprovider.com' });
    const payload = Object.freeze({ exp: y2k });
    const token = backend.encode(payload);
    expect(payload).toEqual({ exp: y2k });
    expect(segmentText(token, 1)).toBe(
      `{"exp":${y2k},"aud":"openid-client-id","iss":"https://www.myoidcprovider.com"}`,
    );
  });

  it('overwrites aud and iss already in the payload, in place', () => {
    const backend = testBackend({ audience: ['api', 'admin'], issuer: 'us' });
    const token = backend.encode({ aud: 'other', iss: 'them', exp: y2k });
    expect(segmentText(token, 1)).toBe(`{"aud":["api","admin"],"iss":"us","exp":${y2k}}`);
  });

  it('serialises claims with claimsReplacer', () => {
    class Uuid {
      constructor(readonly hex: string) {}
    }
    const backend = testBackend({
      claimsReplacer: (_key, value) =>
        typeof value === 'bigint' ? value.toString() : value instanceof Uuid ? value.hex : value,
    });
    const token = backend.encode({ big: 12345678901234567890n, id: new Uuid('0f1e2d3c'), exp: y2k });
    expect(segmentJson(token, 1)).toEqual({ big: '12345678901234567890', id: '0f1e2d3c', exp: y2k });
  });

  it('refuses claims that do not serialise to an object', () => {
    const backend = testBackend({ claimsReplacer: (key, value) => (key === '' ? [value] : value) });
    expect(() => backend.encode({ exp: y2k })).toThrow('Token claims must serialise to a JSON object');
  });

  it('encodes a __proto__ claim of a null-prototype payload as plain data', () => {
    const payload = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(payload, '__proto__', { value: { admin: true }, enumerable: true, writable: true });
    payload['exp'] = y2k;
    const token = testBackend().encode(payload);
    expect(segmentText(token, 1)).toBe(`{"__proto__":{"admin":true},"exp":${y2k}}`);
  });
});
