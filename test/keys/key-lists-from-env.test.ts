import { describe, expect, it } from 'vitest';
import { createTokenBackend } from '../../src/backend/create-token-backend.js';
import { ImproperlyConfiguredError } from '../../src/errors.js';
import { resolveSettings } from '../../src/settings.js';
import { settingsFromEnv } from '../../src/settings-from-env.js';
import { segmentJson } from '../support/forge-jwt.js';
import { hmacSecret, longHmacSecret, testKeys } from '../support/jwt-keys.js';
import { testClock } from '../support/token-fixture.js';

const kidsOf = (env: Record<string, string>) => {
  const backend = createTokenBackend(resolveSettings(settingsFromEnv(env)), testClock());
  return {
    signedWith: (segmentJson(backend.encode({ exp: 1e10 }), 0) as { kid: string }).kid,
    published: backend.jwks?.().keys.map((key) => key.kid),
  };
};

describe('SIMPLE_JWT_SIGNING_KEYS and SIMPLE_JWT_RETIRED_KEYS', () => {
  it('read PEM blocks one after the other, ignoring text between them', () => {
    const env = {
      SIMPLE_JWT_ALGORITHM: 'ES256',
      SIMPLE_JWT_SIGNING_KEYS: `kid: whatever\n${testKeys('p256').privatePem}\n${testKeys('ed25519').privatePem}`,
    };
    expect(settingsFromEnv(env).signingKeys).toEqual([
      testKeys('p256').privatePem.trim(),
      testKeys('ed25519').privatePem.trim(),
    ]);
    const { signedWith, published } = kidsOf({
      ...env,
      SIMPLE_JWT_SIGNING_KEYS: testKeys('p256').privatePem,
      SIMPLE_JWT_RETIRED_KEYS: `note\n${testKeys('p256b').publicPem}`,
    });
    expect(published).toHaveLength(2);
    expect(signedWith).toBe(published?.[0]);
    // The same key as signing key and retired key: one kid twice, refused.
    expect(() =>
      kidsOf({
        ...env,
        SIMPLE_JWT_SIGNING_KEYS: testKeys('p256').privatePem,
        SIMPLE_JWT_RETIRED_KEYS: testKeys('p256').publicPem,
      }),
    ).toThrow(/kid .* is used twice/);
  });

  it('read a JSON array of keys or { key, kid } objects', () => {
    const { signedWith, published } = kidsOf({
      SIMPLE_JWT_ALGORITHM: 'ES256',
      SIMPLE_JWT_SIGNING_KEYS: JSON.stringify([{ key: testKeys('p256').privatePem, kid: '2026-12' }]),
      SIMPLE_JWT_RETIRED_KEYS: JSON.stringify([{ key: testKeys('p256b').publicPem, kid: '2026-06' }]),
    });
    expect(signedWith).toBe('2026-12');
    expect(published).toEqual(['2026-12', '2026-06']);
  });

  it('read one HMAC secret as a list of one, and JSON lists of secrets', () => {
    expect(settingsFromEnv({ SIMPLE_JWT_SIGNING_KEYS: hmacSecret }).signingKeys).toEqual([hmacSecret]);
    const { signedWith } = kidsOf({
      SIMPLE_JWT_SIGNING_KEYS: JSON.stringify([{ key: longHmacSecret, kid: 'h2' }]),
      SIMPLE_JWT_RETIRED_KEYS: JSON.stringify([hmacSecret]),
    });
    expect(signedWith).toBe('h2');
  });

  it('refuses a value that starts like JSON but is not, naming the variable', () => {
    const error = (() => {
      try {
        settingsFromEnv({ SIMPLE_JWT_SIGNING_KEYS: '[oops' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ImproperlyConfiguredError);
    expect((error as ImproperlyConfiguredError).setting).toBe('signingKeys');
    expect((error as Error).message).toMatch(
      /SIMPLE_JWT_SIGNING_KEYS starts with '\[' but is not a JSON array/,
    );
  });

  it('an empty variable is unset', () => {
    expect(settingsFromEnv({ SIMPLE_JWT_SIGNING_KEYS: '  ' })).toEqual({ signingKeys: undefined });
    expect(resolveSettings(settingsFromEnv({ SIMPLE_JWT_SIGNING_KEYS: '' })).signingKeys).toBeUndefined();
  });
});
