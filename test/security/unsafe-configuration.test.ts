import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import {
  type Algorithm,
  type CreateSimpleJwtOptions,
  createSimpleJwt,
  ImproperlyConfiguredError,
  type SimpleJwtSettings,
} from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import { testKeys } from '../support/jwt-keys.js';

// An unsafe configuration never becomes a running instance: createSimpleJwt throws
// ImproperlyConfiguredError naming the setting, at start-up, without echoing key material.
const secret = (bytes: number) => randomBytes(bytes).toString('hex').slice(0, bytes);

function refusal(options: Partial<CreateSimpleJwtOptions<object>> & { settings: SimpleJwtSettings }) {
  try {
    createSimpleJwt(options);
  } catch (error) {
    return error;
  }
  return new Error('createSimpleJwt accepted it');
}

function expectRefused(settings: SimpleJwtSettings, setting: string, problem: RegExp, extra = {}) {
  const error = refusal({ settings, ...extra });
  expect(error).toBeInstanceOf(ImproperlyConfiguredError);
  expect((error as ImproperlyConfiguredError).setting).toBe(setting);
  expect((error as Error).message).toContain(`'${setting}'`);
  expect((error as Error).message).toMatch(problem);
  for (const key of [settings.signingKey, settings.verifyingKey]) {
    if (typeof key === 'string' && key.length > 8) expect((error as Error).message).not.toContain(key);
  }
}

describe('weak HMAC secrets (RFC 7518 §3.2: at least the hash size)', () => {
  it.each([
    ['HS256', 31, 32],
    ['HS384', 47, 48],
    ['HS512', 63, 64],
  ] as const)('%s refuses %i bytes and accepts %i', (algorithm, tooShort, enough) => {
    expectRefused(
      { algorithm, signingKey: secret(tooShort) },
      'signingKey',
      new RegExp(`at least ${enough} bytes.*got ${tooShort}`),
    );
    expect(() => createSimpleJwt({ settings: { algorithm, signingKey: secret(enough) } })).not.toThrow();
  });

  it.each([
    ['no key at all', undefined],
    ['an empty key', ''],
  ])('HS256 says the key is missing for %s', (_name, signingKey) => {
    expectRefused({ algorithm: 'HS256', signingKey }, 'signingKey', /is missing: HS256 needs a secret/);
  });

  it.each([
    ['a public key PEM as the HMAC secret', testKeys('rsa2048').publicPem],
    ['an SSH public key as the HMAC secret', `ssh-ed25519 ${'A'.repeat(68)} user@host`],
  ])('HS256 refuses %s', (_name, signingKey) => {
    expectRefused({ algorithm: 'HS256', signingKey }, 'signingKey', /HS256 needs/);
  });
});

describe('algorithms', () => {
  it.each(['none', 'None', 'HS1', 'hs256', 'rs256', 'ES256K', 'RSA1_5', ''])('refuses %j', (algorithm) => {
    expectRefused(
      { algorithm: algorithm as SimpleJwtSettings['algorithm'], signingKey: secret(64) },
      'algorithm',
      /Unrecognized algorithm type/,
    );
  });
});

describe('asymmetric algorithms without a matching key', () => {
  type KeyKind = Parameters<typeof testKeys>[0];
  /** `p256` is that private key's PEM, `p256.pub` its public key's, `secret` a shared secret. */
  const pem = (spec: string | null): string | undefined => {
    if (spec === null) return undefined;
    if (spec === 'secret') return secret(64);
    const [kind, part] = spec.split('.') as [KeyKind, string | undefined];
    return part === 'pub' ? testKeys(kind).publicPem : testKeys(kind).privatePem;
  };
  const rows: [string, Algorithm, string | null, string | null, string, RegExp][] = [
    ['RS256 with an EC key', 'RS256', 'p256', null, 'signingKey', /RS256 needs an RSA key/],
    ['RS256 with a 1024-bit RSA key', 'RS256', 'rsa1024', null, 'signingKey', /at least 2048 bits/],
    ['ES256 with a P-384 key', 'ES256', 'p384', null, 'signingKey', /ES256 needs an EC key on P-256/],
    ['ES512 with a P-256 key', 'ES512', 'p256', null, 'signingKey', /P-521/],
    ['EdDSA with an RSA key', 'EdDSA', 'rsa2048', null, 'signingKey', /Ed25519 or Ed448/],
    ['PS256 with an EC key', 'PS256', 'p256', null, 'signingKey', /RSA key/],
    ['RS256 with a shared secret', 'RS256', 'secret', null, 'signingKey', /private key/],
    ['RS256 with a public key as signingKey', 'RS256', 'rsa2048.pub', null, 'signingKey', /cannot sign/],
    ['RS256 with no key', 'RS256', null, null, 'signingKey', /needs a private signingKey/],
    ['a mismatched RS256 pair', 'RS256', 'rsa2048', 'rsa2048b.pub', 'verifyingKey', /does not match/],
    ['a mismatched ES256 pair', 'ES256', 'p256', 'p256b.pub', 'verifyingKey', /does not match/],
    ['a mismatched EdDSA pair', 'EdDSA', 'ed25519', 'ed25519b.pub', 'verifyingKey', /does not match/],
    ['a private key as verifyingKey', 'RS256', null, 'rsa2048', 'verifyingKey', /got a private key/],
    ['ES256 verifying with a P-384 key', 'ES256', null, 'p384.pub', 'verifyingKey', /P-256/],
  ];
  it.each(rows)('refuses %s', (_name, algorithm, signingKey, verifyingKey, setting, problem) => {
    expectRefused(
      { algorithm, signingKey: pem(signingKey), verifyingKey: pem(verifyingKey) },
      setting,
      problem,
    );
  });

  it('refuses a jwkUrl that is not http(s), and checkRevokeToken keyed by nothing but a jwkUrl', () => {
    expectRefused({ algorithm: 'RS256', jwkUrl: 'file:///etc/keys.json' }, 'jwkUrl', /http\(s\) URL/);
    expectRefused(
      { algorithm: 'RS256', jwkUrl: 'https://keys.test/jwks.json', checkRevokeToken: true },
      'checkRevokeToken',
      /jwkUrl alone/,
    );
  });
});

describe('leeway and lifetimes', () => {
  const signingKey = secret(64);
  it.each([
    [-1, /must not be negative/],
    ['-5s', /expected seconds|must not be negative/],
    [3601, /at most 3600 seconds/],
    ['2h', /at most 3600 seconds/],
    [Number.POSITIVE_INFINITY, /expected seconds/],
    [Number.NaN, /expected seconds/],
    ['forever', /expected seconds/],
    [{}, /expected seconds/],
  ])('refuses leeway %s', (leeway, problem) => {
    expectRefused({ signingKey, leeway: leeway as number }, 'leeway', problem);
  });

  const lifetimes = [
    'accessTokenLifetime',
    'refreshTokenLifetime',
    'slidingTokenLifetime',
    'slidingTokenRefreshLifetime',
  ] as const;
  const notDurations: unknown[] = [
    'soon',
    '',
    '5 fortnights',
    -60,
    0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    null,
    [300],
    { minutes: 5 },
  ];
  it.each(lifetimes.flatMap((setting) => notDurations.map((value) => [setting, value] as const)))(
    'refuses %s = %j',
    (setting, value) => {
      expectRefused(
        { signingKey, [setting]: value } as SimpleJwtSettings,
        setting,
        /duration|negative|longer than zero|expected/,
      );
    },
  );

  it('accepts durations as seconds and as strings', () => {
    const jwt = createSimpleJwt({
      settings: { signingKey, accessTokenLifetime: 90, refreshTokenLifetime: '2d', leeway: '30s' },
    });
    expect([
      jwt.settings.accessTokenLifetime,
      jwt.settings.refreshTokenLifetime,
      jwt.settings.leeway,
    ]).toEqual([90, 172_800, 30]);
  });
});

describe('token store options', () => {
  it.each([0, -1, 1.5, Number.POSITIVE_INFINITY])('refuses operationTimeoutMs %s', (operationTimeoutMs) => {
    const error = refusal({
      settings: { signingKey: secret(64) },
      connection: mongoose.createConnection(),
      tokenStore: { operationTimeoutMs },
    });
    expect(error).toBeInstanceOf(ImproperlyConfiguredError);
    expect((error as ImproperlyConfiguredError).setting).toBe('operationTimeoutMs');
  });
});
