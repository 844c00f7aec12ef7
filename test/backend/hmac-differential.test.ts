import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { TokenBackendError, TokenBackendExpiredError } from '../../src/backend/token-backend.js';
import type { SimpleJwtSettings } from '../../src/settings.js';
import { b64url, forgeJwt, hmacSigner } from '../support/forge-jwt.js';
import { hmacSecret, longHmacSecret } from '../support/jwt-keys.js';
import { testBackend, testClock, y2k } from '../support/token-fixture.js';

type Outcome = 'valid' | 'expired' | 'invalid';

/** The backend's verdict (its node:crypto HMAC path), both through `decodeSync` and `decode`. */
async function backendOutcome(backend: ReturnType<typeof testBackend>, token: string): Promise<Outcome> {
  let syncOutcome: Outcome;
  try {
    backend.decodeSync?.(token);
    syncOutcome = 'valid';
  } catch (error) {
    expect(error).toBeInstanceOf(TokenBackendError);
    syncOutcome = error instanceof TokenBackendExpiredError ? 'expired' : 'invalid';
  }
  const asyncOutcome = await backend.decode(token).then(
    (): Outcome => 'valid',
    (error: unknown): Outcome => (error instanceof TokenBackendExpiredError ? 'expired' : 'invalid'),
  );
  expect(asyncOutcome).toBe(syncOutcome);
  return syncOutcome;
}

/** jsonwebtoken's verdict with the same key, algorithm allow-list, clock, leeway, audience and issuer. */
function jsonwebtokenOutcome(token: string, settings: Case): Outcome {
  try {
    jwt.verify(token, createSecretKey(Buffer.from(settings.secret)), {
      algorithms: [settings.algorithm],
      clockTimestamp: y2k,
      clockTolerance: settings.leeway ?? 0,
      ...(settings.audience ? { audience: settings.audience } : {}),
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
    });
    return 'valid';
  } catch (error) {
    return error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid';
  }
}

interface Case {
  readonly algorithm: 'HS256' | 'HS384' | 'HS512';
  readonly secret: string;
  readonly hash: string;
  readonly leeway?: number;
  readonly audience?: string;
  readonly issuer?: string;
}

const cases: Case[] = [
  { algorithm: 'HS256', secret: hmacSecret, hash: 'sha256' },
  { algorithm: 'HS256', secret: hmacSecret, hash: 'sha256', leeway: 30, audience: 'api', issuer: 'auth' },
  { algorithm: 'HS384', secret: longHmacSecret, hash: 'sha384' },
  { algorithm: 'HS512', secret: longHmacSecret, hash: 'sha512', audience: 'api', issuer: 'auth' },
];

/** Replaces the character at `index` by another base64url character. */
function flipCharacter(token: string, index: number): string {
  const replacement = token[index] === 'A' ? 'B' : 'A';
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
}

/** Valid and tampered tokens for one configuration, each named. */
function corpus(setting: Case): [string, string][] {
  const sign = hmacSigner(setting.secret, setting.hash);
  const header = { alg: setting.algorithm, typ: 'JWT' };
  const base = {
    token_type: 'access',
    exp: y2k + 60,
    iat: y2k - 10,
    jti: 'a'.repeat(32),
    user_id: '42',
    ...(setting.audience ? { aud: setting.audience } : {}),
    ...(setting.issuer ? { iss: setting.issuer } : {}),
  };
  const valid = forgeJwt(header, base, sign);
  const [headerSegment, payloadSegment, signature = ''] = valid.split('.');
  const otherHashes: Record<string, string> = { sha256: 'HS256', sha384: 'HS384', sha512: 'HS512' };
  const entries: [string, string][] = [
    ['valid', valid],
    ['valid, no exp', forgeJwt(header, { user_id: '42' }, sign)],
    [
      'valid, audience in a list',
      forgeJwt(header, { ...base, aud: ['other', setting.audience ?? 'x'] }, sign),
    ],
    [
      'changed payload, old signature',
      `${headerSegment}.${b64url(JSON.stringify({ ...base, user_id: '1' }))}.${signature}`,
    ],
    [
      'payload of another token',
      `${headerSegment}.${b64url(JSON.stringify({ ...base, exp: y2k + 61 }))}.${signature}`,
    ],
    ['truncated signature', `${headerSegment}.${payloadSegment}.${signature.slice(0, -2)}`],
    ['signature with a byte more', `${valid}AA`],
    ['empty signature', `${headerSegment}.${payloadSegment}.`],
    ['signature in padded base64', `${valid}${'='.repeat((4 - (signature.length % 4)) % 4) || '='}`],
    [
      'signature in standard base64',
      `${headerSegment}.${payloadSegment}.${Buffer.from(signature, 'base64url').toString('base64')}`,
    ],
    ['signing key is another secret', forgeJwt(header, base, hmacSigner(`${setting.secret}!`, setting.hash))],
    [
      'alg none without signature',
      `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payloadSegment}.`,
    ],
    [
      'alg none with the old signature',
      `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payloadSegment}.${signature}`,
    ],
    ['expired', forgeJwt(header, { ...base, exp: y2k - 1 }, sign)],
    ['expired an hour ago', forgeJwt(header, { ...base, exp: y2k - 3600 }, sign)],
    ['expired exactly now', forgeJwt(header, { ...base, exp: y2k }, sign)],
    ['expired within leeway', forgeJwt(header, { ...base, exp: y2k - 20 }, sign)],
    ['expired and tampered', `${forgeJwt(header, { ...base, exp: y2k - 1 }, sign).slice(0, -3)}abc`],
    ['not before later', forgeJwt(header, { ...base, nbf: y2k + 100 }, sign)],
    ['not before within leeway', forgeJwt(header, { ...base, nbf: y2k + 20 }, sign)],
    ['not before now', forgeJwt(header, { ...base, nbf: y2k }, sign)],
    ['other audience', forgeJwt(header, { ...base, aud: 'elsewhere' }, sign)],
    ['no audience', forgeJwt(header, { ...base, aud: undefined }, sign)],
    ['other issuer', forgeJwt(header, { ...base, iss: 'someone else' }, sign)],
    ['no issuer', forgeJwt(header, { ...base, iss: undefined }, sign)],
    ['three segments of junk', 'abc.def.ghi'],
    ['two segments', `${headerSegment}.${payloadSegment}`],
  ];
  for (const [hash, algorithm] of Object.entries(otherHashes)) {
    if (algorithm === setting.algorithm) continue;
    const confused = { alg: algorithm, typ: 'JWT' };
    entries.push([
      `header says ${algorithm}, signed with it`,
      forgeJwt(confused, base, hmacSigner(setting.secret, hash)),
    ]);
    entries.push([`header says ${algorithm}, signed as configured`, forgeJwt(confused, base, sign)]);
  }
  // Every single-character change of the valid token, through header, payload and signature.
  for (let index = 0; index < valid.length; index += 1) {
    if (valid[index] !== '.') entries.push([`character ${index} changed`, flipCharacter(valid, index)]);
  }
  return entries;
}

describe.each(cases)('node:crypto HMAC verification agrees with jsonwebtoken: %o', (setting) => {
  const settings: SimpleJwtSettings = {
    algorithm: setting.algorithm,
    signingKey: setting.secret,
    leeway: setting.leeway ?? 0,
    audience: setting.audience,
    issuer: setting.issuer,
  };
  const backend = testBackend(settings, testClock(y2k));
  const tokens = corpus(setting);

  it('on every valid and tampered token of the corpus', async () => {
    const disagreements: string[] = [];
    const verdicts = new Set<Outcome>();
    for (const [name, token] of tokens) {
      const ours = await backendOutcome(backend, token);
      const theirs = jsonwebtokenOutcome(token, setting);
      verdicts.add(ours);
      if (ours !== theirs) disagreements.push(`${name}: backend ${ours}, jsonwebtoken ${theirs}`);
    }
    expect(disagreements).toEqual([]);
    // The corpus exercises every verdict, so agreement is not agreement on "invalid" alone.
    expect(verdicts).toEqual(new Set(['valid', 'expired', 'invalid']));
  });

  it('accepts what jsonwebtoken signs, and jsonwebtoken accepts what the backend signs', async () => {
    const claims = { exp: y2k + 60, user_id: '42' };
    const ours = backend.encode(claims);
    expect(jsonwebtokenOutcome(ours, setting)).toBe('valid');
    const theirs = jwt.sign(
      {
        ...claims,
        ...(setting.audience ? { aud: setting.audience } : {}),
        ...(setting.issuer ? { iss: setting.issuer } : {}),
      },
      createSecretKey(Buffer.from(setting.secret)),
      { algorithm: setting.algorithm, noTimestamp: true },
    );
    expect(await backendOutcome(backend, theirs)).toBe('valid');
  });
});
