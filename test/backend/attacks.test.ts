import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenBackendError, TokenBackendExpiredError } from '../../src/backend/token-backend.js';
import { b64url, forgeJwt, hmacSigner, rs256Signer } from '../support/forge-jwt.js';
import { hmacSecret, longHmacSecret, testKeys } from '../support/jwt-keys.js';
import { testBackend, y2k } from '../support/token-fixture.js';

const header = { alg: 'HS256', typ: 'JWT' };
const claims = { exp: y2k + 60, user_id: '42' };
const hs256 = hmacSigner(hmacSecret);

/** The error `decode` rejects with: always a TokenBackendError, never a library's own error. */
async function rejection(token: unknown, backend = testBackend()): Promise<TokenBackendError> {
  const error = await backend.decode(token as string).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TokenBackendError);
  expect(error).not.toBeInstanceOf(TokenBackendExpiredError);
  expect(() => backend.decodeSync?.(token as string)).toThrow(TokenBackendError);
  return error as TokenBackendError;
}

describe('algorithm attacks', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])('alg %s is refused, with or without a signature', async (alg) => {
    await rejection(forgeJwt({ alg, typ: 'JWT' }, claims, ''));
    const signed = await rejection(forgeJwt({ alg, typ: 'JWT' }, claims, 'c2lnbmF0dXJl'));
    expect(signed.message).toBe('Invalid algorithm specified');
  });

  it('refuses HS256 signed with the RS256 public key as secret', async () => {
    const rsa = testKeys('rsa2048');
    const backend = testBackend({ algorithm: 'RS256', verifyingKey: rsa.publicPem });
    const confused = forgeJwt(header, claims, hmacSigner(rsa.publicPem));
    expect((await rejection(confused, backend)).message).toBe('Invalid algorithm specified');
    // Claiming RS256 while HMAC-signing with the public key fails the signature check instead.
    await rejection(forgeJwt({ alg: 'RS256', typ: 'JWT' }, claims, hmacSigner(rsa.publicPem)), backend);
  });

  it('refuses HS512 against HS256 with the same secret, and HS256 against HS512', async () => {
    const hs512 = forgeJwt({ alg: 'HS512', typ: 'JWT' }, claims, hmacSigner(hmacSecret, 'sha512'));
    expect((await rejection(hs512)).message).toBe('Invalid algorithm specified');
    const backend512 = testBackend({ algorithm: 'HS512', signingKey: longHmacSecret });
    await rejection(forgeJwt(header, claims, hmacSigner(longHmacSecret)), backend512);
  });

  it.each([
    ['no alg', { typ: 'JWT' }],
    ['a numeric alg', { alg: 256, typ: 'JWT' }],
    ['a non-string kid', { ...header, kid: 7 }],
    ['critical extensions', { ...header, crit: ['exp'], exp: 1 }],
  ])('refuses a header with %s', async (_name, badHeader) => {
    await rejection(forgeJwt(badHeader, claims, hs256));
  });

  it('accepts a string kid with a static key (it selects nothing)', async () => {
    await expect(testBackend().decode(forgeJwt({ ...header, kid: 'any' }, claims, hs256))).resolves.toEqual(
      claims,
    );
  });
});

describe('keys named by the token are never used or fetched', () => {
  let requests = 0;
  let baseUrl = '';
  const server = createServer((_request, response) => {
    requests++;
    response.end('{}');
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a token signed by the key it embeds (jwk), or points to (jku, x5u)', async () => {
    const backend = testBackend({ algorithm: 'RS256', verifyingKey: testKeys('rsa2048').publicPem });
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = forgeJwt(
      {
        alg: 'RS256',
        typ: 'JWT',
        jwk: attacker.publicKey.export({ format: 'jwk' }),
        jku: `${baseUrl}/jwks.json`,
        x5u: `${baseUrl}/cert.pem`,
      },
      claims,
      rs256Signer(attacker.privateKey),
    );
    await rejection(forged, backend);
    expect(requests).toBe(0);
  });
});

describe('tampering and malformed tokens', () => {
  it('refuses a tampered payload', async () => {
    const token = testBackend().encode(claims);
    const [h, , s] = token.split('.');
    await rejection(`${h}.${b64url(JSON.stringify({ ...claims, user_id: '1' }))}.${s}`);
  });

  const valid = forgeJwt(header, claims, hs256);
  const [h, p, s] = valid.split('.') as [string, string, string];
  it.each([
    ['empty', ''],
    ['one segment', 'abc'],
    ['two segments', `${h}.${p}`],
    ['four segments', `${valid}.${s}`],
    ['an empty header', `.${p}.${s}`],
    ['an empty payload', `${h}..${s}`],
    ['an empty signature', `${h}.${p}.`],
    ['padding', `${h}.${p}.${s}=`],
    ['base64 instead of base64url', `${h}.${p}.${s.replace(/.$/, '+')}`],
    ['a slash', `${h}/.${p}.${s}`],
    ['leading whitespace', ` ${valid}`],
    ['trailing newline', `${valid}\n`],
    ['a header that is not JSON', `${b64url('not json')}.${p}.${s}`],
    ['a header that is an array', `${b64url('["HS256"]')}.${p}.${s}`],
  ])('refuses %s', async (_name, token) => {
    await rejection(token);
  });

  it('refuses a segment of length 4n+1, which no base64 encoder produces', async () => {
    expect(h.length % 4).toBe(0);
    expect((await rejection(`${h}A.${p}.${s}`)).message).toBe('Token header is not unpadded base64url');
  });

  it.each([
    ['ES512', () => testKeys('p521').privatePem],
    ['RS256', () => testKeys('rsa2048').privatePem],
    ['EdDSA', () => testKeys('ed25519').privatePem],
  ] as const)('refuses other spellings of a valid %s signature', async (algorithm, signingKey) => {
    const backend = testBackend({ algorithm, signingKey: signingKey() });
    const token = backend.encode(claims);
    await expect(backend.decode(token)).resolves.toEqual(claims);
    const [th, tp, ts] = token.split('.') as [string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // A final character differing only in unused low bits, or one extra character: same bytes decoded.
    const last = alphabet[alphabet.indexOf(ts.at(-1) ?? 'A') ^ 1];
    const variant = ts.length % 4 === 0 ? `${ts}A` : `${ts.slice(0, -1)}${last}`;
    expect(Buffer.from(variant, 'base64url')).toEqual(Buffer.from(ts, 'base64url'));
    await rejection(`${th}.${tp}.${variant}`, backend);
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { token: valid }],
    ['a Buffer', Buffer.from(valid)],
  ])('refuses %s instead of a string', async (_name, token) => {
    await rejection(token);
  });

  it.each([
    ['an array', '[1,2]'],
    ['a string', '"abc"'],
    ['a number', '42'],
    ['null', 'null'],
    ['true', 'true'],
    ['invalid JSON', '{"exp":'],
  ])('refuses a properly signed payload that is %s', async (_name, payload) => {
    expect((await rejection(forgeJwt(header, payload, hs256))).message).toMatch(/^Token payload is not/);
  });

  it('refuses invalid UTF-8 in the payload', async () => {
    const payload = Buffer.concat([
      Buffer.from('{"exp":1,"x":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const input = `${b64url(JSON.stringify(header))}.${payload.toString('base64url')}`;
    await rejection(`${input}.${hs256(input)}`);
  });

  it('refuses exp 1e999, which JSON parses to Infinity ("never expires")', async () => {
    await rejection(forgeJwt(header, `{"exp":1e999}`, hs256));
  });

  it('refuses tokens longer than maxTokenLength before parsing', async () => {
    const token = forgeJwt(header, { ...claims, pad: 'x'.repeat(100) }, hs256);
    await expect(testBackend({ maxTokenLength: token.length }).decode(token)).resolves.toMatchObject(claims);
    const error = await rejection(token, testBackend({ maxTokenLength: token.length - 1 }));
    expect(error.message).toBe(`Token is longer than ${token.length - 1} characters`);
  });
});

describe('prototype pollution', () => {
  it('keeps __proto__ and constructor claims as plain data', async () => {
    const payload = `{"exp":${y2k + 60},"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`;
    const decoded = await testBackend().decode(forgeJwt(header, payload, hs256));
    expect(Object.getPrototypeOf(decoded)).toBeNull();
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toEqual({ polluted: true });
    expect((decoded as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect((Object.prototype as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
