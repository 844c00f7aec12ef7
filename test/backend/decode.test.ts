import { describe, expect, it } from 'vitest';
import { TokenBackendError, TokenBackendExpiredError } from '../../src/backend/token-backend.js';
import type { SimpleJwtSettings } from '../../src/settings.js';
import { forgeJwt, hmacSigner, rs256Signer } from '../support/forge-jwt.js';
import { hmacSecret, testKeys } from '../support/jwt-keys.js';
import { testBackend, testClock, y2k } from '../support/token-fixture.js';

/** One backend per signing implementation: jsonwebtoken (HS, RS, PS, ES) and our EdDSA. */
const families: [string, () => SimpleJwtSettings][] = [
  ['HS256', () => ({ algorithm: 'HS256', signingKey: hmacSecret })],
  ['RS256', () => ({ algorithm: 'RS256', signingKey: testKeys('rsa2048').privatePem })],
  ['PS256', () => ({ algorithm: 'PS256', signingKey: testKeys('rsa2048').privatePem })],
  ['ES256', () => ({ algorithm: 'ES256', signingKey: testKeys('p256').privatePem })],
  ['EdDSA', () => ({ algorithm: 'EdDSA', signingKey: testKeys('ed25519').privatePem })],
];

/** Token A's header and payload with token B's signature. */
function swapSignature(a: string, b: string): string {
  const [header, payload] = a.split('.');
  return `${header}.${payload}.${b.split('.')[2]}`;
}

describe.each(families)('decode with %s', (_alg, settings) => {
  const clock = testClock();
  const backend = testBackend(settings(), clock);

  it('returns the payload, exp as an integer', async () => {
    const payload = await backend.decode(backend.encode({ exp: y2k + 60, user_id: '42' }));
    expect(payload).toEqual({ exp: y2k + 60, user_id: '42' });
    expect(Number.isInteger(payload['exp'])).toBe(true);
  });

  it('accepts a token without exp: the token classes reject it', async () => {
    const token = backend.encode({ user_id: '42' });
    await expect(backend.decode(token)).resolves.toEqual({ user_id: '42' });
    await expect(backend.decode(token, { verify: false })).resolves.toEqual({ user_id: '42' });
  });

  it('reports an expired token as expired, from exp == now on', async () => {
    for (const exp of [y2k - 1, y2k]) {
      const error = await backend.decode(backend.encode({ exp })).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TokenBackendExpiredError);
      expect((error as Error).message).toBe('Token is expired');
    }
    await expect(backend.decode(backend.encode({ exp: y2k + 1 }))).resolves.toEqual({ exp: y2k + 1 });
  });

  it('rejects a payload with another token’s signature, unless verify is off', async () => {
    const a = backend.encode({ exp: y2k + 60, user_id: '1' });
    const b = backend.encode({ exp: y2k + 60, user_id: '2' });
    const tampered = swapSignature(b, a);
    const error = await backend.decode(tampered).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenBackendError);
    expect(error).not.toBeInstanceOf(TokenBackendExpiredError);
    await expect(backend.decode(tampered, { verify: false })).resolves.toEqual({
      exp: y2k + 60,
      user_id: '2',
    });
  });

  it('reports a forged expired token as invalid, not expired: the signature comes first', async () => {
    const a = backend.encode({ exp: y2k + 60 });
    const expired = backend.encode({ exp: y2k - 60, user_id: 'x' });
    const error = await backend.decode(swapSignature(expired, a)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenBackendError);
    expect(error).not.toBeInstanceOf(TokenBackendExpiredError);
  });

  it('returns null-prototype payloads, nested objects included', async () => {
    const payload = await backend.decode(
      backend.encode({ exp: y2k + 60, profile: { roles: [{ name: 'a' }] } }),
    );
    expect(Object.getPrototypeOf(payload)).toBeNull();
    const profile = payload['profile'] as { roles: object[] };
    expect(Object.getPrototypeOf(profile)).toBeNull();
    expect(Object.getPrototypeOf(profile.roles[0])).toBeNull();
  });

  it('decodes synchronously the same way', () => {
    const token = backend.encode({ exp: y2k + 60 });
    expect(backend.decodeSync?.(token)).toEqual({ exp: y2k + 60 });
    expect(() => backend.decodeSync?.(backend.encode({ exp: y2k - 60 }))).toThrow(TokenBackendExpiredError);
    expect(() => backend.decodeSync?.(`${token}x`)).toThrow(TokenBackendError);
  });

  it('decodes at the injected clock’s time', async () => {
    const token = backend.encode({ exp: y2k + 60 });
    clock.set(y2k + 60);
    await expect(backend.decode(token)).rejects.toThrow(TokenBackendExpiredError);
    clock.set(y2k);
    await expect(backend.decode(token)).resolves.toEqual({ exp: y2k + 60 });
  });
});

describe('audience and issuer', () => {
  it('decodes an RS256 token with matching aud and iss', async () => {
    const backend = testBackend({
      algorithm: 'RS256',
      signingKey: testKeys('rsa2048').privatePem,
      audience: 'openid-client-id',
      issuer: 'https://www.myoidcprovider.com',
    });
    await expect(backend.decode(backend.encode({ exp: y2k + 60 }))).resolves.toEqual({
      exp: y2k + 60,
      aud: 'openid-client-id',
      iss: 'https://www.myoidcprovider.com',
    });
  });
});

describe('leeway', () => {
  it.each([
    [100, -200, 'expired'],
    [100, -50, 'valid'],
    [10, -5, 'valid'],
    [10, -15, 'expired'],
    [10, -10, 'expired'],
    [10, -9, 'valid'],
  ] as const)('leeway %i, exp now%i s: %s', async (leeway, offset, outcome) => {
    const backend = testBackend({ leeway });
    const decoded = backend.decode(backend.encode({ exp: y2k + offset }));
    if (outcome === 'valid') await expect(decoded).resolves.toEqual({ exp: y2k + offset });
    else await expect(decoded).rejects.toThrow(TokenBackendExpiredError);
  });
});

describe('algorithm mismatch', () => {
  it('an RS256 token given to an HS256 backend is invalid', async () => {
    const token = forgeJwt(
      { alg: 'RS256', typ: 'JWT' },
      { exp: y2k + 60 },
      rs256Signer(testKeys('rsa2048').privateKey),
    );
    await expect(testBackend().decode(token)).rejects.toThrow('Invalid algorithm specified');
  });

  it('an HS256 token given to an RS256 backend is invalid', async () => {
    const backend = testBackend({ algorithm: 'RS256', signingKey: testKeys('rsa2048').privatePem });
    const token = forgeJwt({ alg: 'HS256', typ: 'JWT' }, { exp: y2k + 60 }, hmacSigner(hmacSecret));
    await expect(backend.decode(token)).rejects.toThrow('Invalid algorithm specified');
  });
});
