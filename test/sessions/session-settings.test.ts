import mongoose from 'mongoose';
import {
  createSimpleJwt,
  ImproperlyConfiguredError,
  resolveSettings,
  settingsFromEnv,
} from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import { hmacSecret } from '../support/jwt-keys.js';

const rotation = { rotateRefreshTokens: true, blacklistAfterRotation: true } as const;

describe('session settings', () => {
  it('defaults: fam and auth_time claims, reuse detection automatic, no grace, no absolute lifetime', () => {
    const settings = resolveSettings({});
    expect({
      familyClaim: settings.familyClaim,
      authTimeClaim: settings.authTimeClaim,
      reuseDetection: settings.reuseDetection,
      reuseInterval: settings.reuseInterval,
      refreshTokenFamilyLifetime: settings.refreshTokenFamilyLifetime,
      tokensValidAfterField: settings.tokensValidAfterField,
    }).toEqual({
      familyClaim: 'fam',
      authTimeClaim: 'auth_time',
      reuseDetection: undefined,
      reuseInterval: 0,
      refreshTokenFamilyLifetime: undefined,
      tokensValidAfterField: 'tokensValidAfter',
    });
    expect(resolveSettings({ reuseInterval: '10s', refreshTokenFamilyLifetime: '30d' })).toMatchObject({
      reuseInterval: 10,
      refreshTokenFamilyLifetime: 30 * 86_400,
    });
  });

  it.each([
    [{ reuseDetection: true }, 'reuseDetection', 'needs rotateRefreshTokens and blacklistAfterRotation on'],
    [{ ...rotation, reuseDetection: true, familyClaim: null }, 'reuseDetection', 'needs familyClaim on'],
    [{ reuseDetection: 'yes' }, 'reuseDetection', 'expected true, false or undefined'],
    [{ reuseInterval: -1 }, 'reuseInterval', 'must not be negative'],
    [{ refreshTokenFamilyLifetime: 0 }, 'refreshTokenFamilyLifetime', 'must be longer than zero'],
    [
      { refreshTokenFamilyLifetime: '1d', authTimeClaim: null },
      'refreshTokenFamilyLifetime',
      'needs authTimeClaim',
    ],
    [{ familyClaim: '' }, 'familyClaim', 'expected a non-empty string or null'],
  ])('refuses %j at start-up, naming %s', (input, setting, problem) => {
    let caught: unknown;
    try {
      resolveSettings(input as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ImproperlyConfiguredError);
    expect((caught as ImproperlyConfiguredError).setting).toBe(setting);
    expect((caught as Error).message).toContain(problem);
  });

  it('reuseDetection true without a token store fails when the instance is created', () => {
    expect(() =>
      createSimpleJwt({ settings: { signingKey: hmacSecret, ...rotation, reuseDetection: true } }),
    ).toThrow(/'reuseDetection'.*needs a token store/);
  });

  it('the instance turns families and reuse detection on with a connection, off without one', () => {
    const connection = mongoose.createConnection();
    const withStore = createSimpleJwt({ settings: { signingKey: hmacSecret, ...rotation }, connection });
    expect(withStore.families).not.toBeNull();
    expect(createSimpleJwt({ settings: { signingKey: hmacSecret, ...rotation } }).families).toBeNull();
    expect(
      createSimpleJwt({ settings: { signingKey: hmacSecret }, connection, familyStore: false }).families,
    ).toBeNull();
  });
});

describe('session settings from SIMPLE_JWT_* variables', () => {
  it('reads every session setting', () => {
    expect(
      settingsFromEnv({
        SIMPLE_JWT_REUSE_DETECTION: 'false',
        SIMPLE_JWT_REUSE_INTERVAL: '15s',
        SIMPLE_JWT_REFRESH_TOKEN_FAMILY_LIFETIME: '30d',
        SIMPLE_JWT_FAMILY_CLAIM: 'sid',
        SIMPLE_JWT_AUTH_TIME_CLAIM: 'none',
        SIMPLE_JWT_TOKENS_VALID_AFTER_FIELD: 'sessionsValidAfter',
      }),
    ).toEqual({
      reuseDetection: false,
      reuseInterval: '15s',
      refreshTokenFamilyLifetime: '30d',
      familyClaim: 'sid',
      authTimeClaim: null,
      tokensValidAfterField: 'sessionsValidAfter',
    });
  });

  it('"auto" or "none" leaves an optional setting at its default; a bad boolean names the variable', () => {
    expect(
      settingsFromEnv({
        SIMPLE_JWT_REUSE_DETECTION: 'auto',
        SIMPLE_JWT_REFRESH_TOKEN_FAMILY_LIFETIME: 'none',
      }),
    ).toEqual({});
    expect(() => settingsFromEnv({ SIMPLE_JWT_REUSE_DETECTION: 'sometimes' })).toThrow(
      /SIMPLE_JWT_REUSE_DETECTION must be true or false/,
    );
  });
});
