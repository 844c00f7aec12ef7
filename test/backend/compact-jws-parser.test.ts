import { describe, expect, it } from 'vitest';
import { TokenBackendError } from '../../src/backend/token-backend.js';
import { b64url, forgeJwt, hmacSigner } from '../support/forge-jwt.js';
import { hmacSecret } from '../support/jwt-keys.js';
import { testBackend, y2k } from '../support/token-fixture.js';

// Details of the backend's single parse: the canonical-signature rule, strict UTF-8 with a fast
// common case, and the remembered header segment.

const hs256 = hmacSigner(hmacSecret);
const header = { alg: 'HS256', typ: 'JWT' };
const claims = { exp: y2k + 60, user_id: '42' };

function outcome(backend: ReturnType<typeof testBackend>, token: string): string {
  try {
    backend.decodeSync?.(token);
    return 'valid';
  } catch (error) {
    expect(error).toBeInstanceOf(TokenBackendError);
    return (error as Error).message;
  }
}

describe('the backend parse', () => {
  it('accepts only the canonical spelling of the signature, whatever its length', () => {
    const backend = testBackend();
    // HS256 signatures are 43 characters (2 unused bits); HS384 64 (none); HS512 86 (4 unused bits).
    for (const [algorithm, hash, secret] of [
      ['HS256', 'sha256', hmacSecret],
      ['HS384', 'sha384', 'x'.repeat(48)],
      ['HS512', 'sha512', 'y'.repeat(64)],
    ] as const) {
      const configured = algorithm === 'HS256' ? backend : testBackend({ algorithm, signingKey: secret });
      const token = forgeJwt({ alg: algorithm, typ: 'JWT' }, claims, hmacSigner(secret, hash));
      expect(outcome(configured, token)).toBe('valid');
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = token.at(-1) ?? '';
      let sameBytes = 0;
      for (const other of alphabet) {
        if (other === last) continue;
        const respelled = `${token.slice(0, -1)}${other}`;
        const decodesToSameBytes = Buffer.from(respelled.split('.')[2] ?? '', 'base64url').equals(
          Buffer.from(token.split('.')[2] ?? '', 'base64url'),
        );
        if (!decodesToSameBytes) continue;
        sameBytes += 1;
        expect(outcome(configured, respelled)).toBe('Token signature is not canonical base64url');
      }
      // 2 unused bits: 3 other spellings of the same bytes; 4 unused bits: 15; none: 0.
      expect(sameBytes).toBe({ HS256: 3, HS384: 0, HS512: 15 }[algorithm]);
    }
  });

  it('accepts a real U+FFFD in a claim and still refuses invalid UTF-8', () => {
    const backend = testBackend();
    const token = forgeJwt(header, { ...claims, name: 'replacement \uFFFD character' }, hs256);
    expect(outcome(backend, token)).toBe('valid');
    expect(backend.decodeSync?.(token)?.['name']).toBe('replacement \uFFFD character');
    const invalid = Buffer.concat([
      Buffer.from('{"exp":1,"x":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const input = `${b64url(JSON.stringify(header))}.${invalid.toString('base64url')}`;
    expect(outcome(backend, `${input}.${hs256(input)}`)).toBe('Token payload is not JSON');
  });

  it('parses each header on its own, however tokens with different headers follow each other', () => {
    const backend = testBackend();
    const plain = forgeJwt(header, claims, hs256);
    const withKid = forgeJwt({ ...header, kid: 'k1' }, claims, hs256);
    const critical = forgeJwt({ ...header, crit: ['b64'] }, claims, hs256);
    const none = forgeJwt({ alg: 'none', typ: 'JWT' }, claims, hs256);
    const noAlg = forgeJwt({ typ: 'JWT' }, claims, hs256);
    for (let round = 0; round < 2; round += 1) {
      expect(outcome(backend, plain)).toBe('valid');
      expect(outcome(backend, critical)).toBe('Token header lists critical extensions');
      expect(outcome(backend, withKid)).toBe('valid');
      expect(outcome(backend, none)).toBe('Invalid algorithm specified');
      expect(outcome(backend, noAlg)).toBe('Token header has no algorithm');
      expect(outcome(backend, plain)).toBe('valid');
    }
  });
});
