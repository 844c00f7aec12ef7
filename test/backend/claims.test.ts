import { describe, expect, it } from 'vitest';
import { TokenBackendError, TokenBackendExpiredError } from '../../src/backend/token-backend.js';
import type { SimpleJwtSettings } from '../../src/settings.js';
import { hmacSecret, testKeys } from '../support/jwt-keys.js';
import { testBackend, y2k } from '../support/token-fixture.js';

// The claim rules must hold the same for jsonwebtoken's algorithms and for our EdDSA implementation.
const families: [string, () => SimpleJwtSettings][] = [
  ['HS256', () => ({ algorithm: 'HS256', signingKey: hmacSecret })],
  ['RS256', () => ({ algorithm: 'RS256', signingKey: testKeys('rsa2048').privatePem })],
  ['ES256', () => ({ algorithm: 'ES256', signingKey: testKeys('p256').privatePem })],
  ['EdDSA', () => ({ algorithm: 'EdDSA', signingKey: testKeys('ed25519').privatePem })],
];

type Outcome = 'valid' | 'invalid' | 'expired';
const exp = y2k + 300;
const hour = 3600;

const cases: [string, SimpleJwtSettings, Record<string, unknown>, Outcome][] = [
  ['iat now', {}, { exp, iat: y2k }, 'valid'],
  ['iat 1 h in the future', {}, { exp, iat: y2k + hour }, 'invalid'],
  ['iat within leeway', { leeway: 10 }, { exp, iat: y2k + 10 }, 'valid'],
  ['iat beyond leeway', { leeway: 10 }, { exp, iat: y2k + 11 }, 'invalid'],
  ['nbf now', {}, { exp, nbf: y2k }, 'valid'],
  ['nbf 1 h in the future', {}, { exp, nbf: y2k + hour }, 'invalid'],
  ['nbf within leeway', { leeway: 10 }, { exp, nbf: y2k + 10 }, 'valid'],
  ['nbf beyond leeway', { leeway: 10 }, { exp, nbf: y2k + 11 }, 'invalid'],
  ['exp a string', {}, { exp: 'abc' }, 'invalid'],
  ['exp a numeric string', {}, { exp: String(exp) }, 'invalid'],
  ['exp null', {}, { exp: null }, 'invalid'],
  ['exp true', {}, { exp: true }, 'invalid'],
  ['exp a list', {}, { exp: [exp] }, 'invalid'],
  ['exp a fraction', {}, { exp: exp + 0.5 }, 'valid'],
  ['iat a string', {}, { exp, iat: 'yesterday' }, 'invalid'],
  ['nbf a string', {}, { exp, nbf: String(y2k) }, 'invalid'],
  ['jti a number', {}, { exp, jti: 123 }, 'invalid'],
  ['jti empty', {}, { exp, jti: '' }, 'invalid'],
  ['jti of 255 characters', {}, { exp, jti: 'a'.repeat(255) }, 'valid'],
  ['jti of 256 characters', {}, { exp, jti: 'a'.repeat(256) }, 'invalid'],
  ['a custom jtiClaim not a string', { jtiClaim: 'token_id' }, { exp, token_id: 7 }, 'invalid'],
  ['a custom jtiClaim a string', { jtiClaim: 'token_id' }, { exp, token_id: 'abc' }, 'valid'],
  ['sub a number', {}, { exp, sub: 42 }, 'invalid'],
  ['sub a string', {}, { exp, sub: '42' }, 'valid'],
  ['iss a number, no issuer configured', {}, { exp, iss: 42 }, 'invalid'],
  ['aud a number', {}, { exp, aud: 42 }, 'invalid'],
  ['aud a list with a number', {}, { exp, aud: ['api', 1] }, 'invalid'],
  ['aud present, no audience configured', {}, { exp, aud: 'anything' }, 'valid'],
  ['audience configured, aud missing', { audience: 'api' }, { exp }, 'invalid'],
  ['audience configured, aud different', { audience: 'api' }, { exp, aud: 'web' }, 'invalid'],
  ['audience configured, aud equal', { audience: 'api' }, { exp, aud: 'api' }, 'valid'],
  ['audience configured, aud list containing it', { audience: 'api' }, { exp, aud: ['web', 'api'] }, 'valid'],
  ['audience list, aud one of them', { audience: ['web', 'api'] }, { exp, aud: 'api' }, 'valid'],
  ['audience list, aud lists intersect', { audience: ['a', 'b'] }, { exp, aud: ['c', 'b'] }, 'valid'],
  ['audience list, aud lists disjoint', { audience: ['a', 'b'] }, { exp, aud: ['c', 'd'] }, 'invalid'],
  ['issuer configured, iss missing', { issuer: 'us' }, { exp }, 'invalid'],
  ['issuer configured, iss different', { issuer: 'us' }, { exp, iss: 'them' }, 'invalid'],
  ['issuer configured, iss equal', { issuer: 'us' }, { exp, iss: 'us' }, 'valid'],
  ['exp 5 s past, leeway 10', { leeway: 10 }, { exp: y2k - 5 }, 'valid'],
  ['exp 15 s past, leeway 10', { leeway: 10 }, { exp: y2k - 15 }, 'expired'],
];

describe.each(families)('claims with %s', (_alg, familySettings) => {
  it.each(cases)('%s', async (_name, settings, claims, outcome) => {
    // Sign with a backend that adds no aud/iss, verify with the configured one.
    const { audience: _a, issuer: _i, ...signing } = settings;
    const token = testBackend({ ...familySettings(), ...signing }).encode(claims);
    const decoded = testBackend({ ...familySettings(), ...settings }).decode(token);
    if (outcome === 'valid') {
      await expect(decoded).resolves.toEqual(claims);
      return;
    }
    const error = await decoded.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenBackendError);
    expect(error instanceof TokenBackendExpiredError).toBe(outcome === 'expired');
  });
});
