import { describe, expect, it } from 'vitest';
import { ImproperlyConfiguredError } from '../../src/errors.js';
import { defaultSettings, resolveSettings, type SimpleJwtSettings } from '../../src/settings.js';
import { envNameOf, settingsFromEnv } from '../../src/settings-from-env.js';

describe('resolveSettings', () => {
  it('applies the one table of defaults, with durations in seconds, and freezes the result', () => {
    const settings = resolveSettings({});
    expect(settings.accessTokenLifetime).toBe(300);
    expect(settings.refreshTokenLifetime).toBe(86_400);
    expect(settings.slidingTokenLifetime).toBe(300);
    expect(settings.slidingTokenRefreshLifetime).toBe(86_400);
    expect(settings.algorithm).toBe('HS256');
    expect(settings.authHeaderTypes).toEqual(['Bearer']);
    expect(settings.authHeaderName).toBe('authorization');
    expect(settings.userIdClaim).toBe('user_id');
    expect(settings.tokenTypeClaim).toBe('token_type');
    expect(settings.jtiClaim).toBe('jti');
    expect(settings.checkUserIsActive).toBe(true);
    expect(settings.rotateRefreshTokens).toBe(false);
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.keys(settings).sort()).toEqual(Object.keys(defaultSettings).sort());
  });

  it.each([
    [3600, 3600],
    ['90s', 90],
    ['5m', 300],
    ['1d', 86_400],
    ['120', 120],
    [0.5, 0.5],
  ])('reads the duration %j as %d seconds', (input, seconds) => {
    expect(resolveSettings({ accessTokenLifetime: input }).accessTokenLifetime).toBe(seconds);
  });

  it('wraps a single header type in a list, as Simple JWT wraps a string in a tuple', () => {
    expect(resolveSettings({ authHeaderTypes: 'JWT' }).authHeaderTypes).toEqual(['JWT']);
  });

  it('keeps null type and id claims (they disable the claim)', () => {
    const settings = resolveSettings({ tokenTypeClaim: null, jtiClaim: null });
    expect(settings.tokenTypeClaim).toBeNull();
    expect(settings.jtiClaim).toBeNull();
  });

  const refusals: [string, SimpleJwtSettings | Record<string, unknown>, RegExp][] = [
    ['algorithm', { algorithm: 'none' as never }, /Unrecognized algorithm type "none"/],
    ['algorithm', { algorithm: 'hs256' as never }, /Unrecognized algorithm type/],
    ['accessTokenLifetime', { accessTokenLifetime: 'soon' }, /expected seconds or a duration/],
    ['accessTokenLifetime', { accessTokenLifetime: -5 }, /must not be negative/],
    ['refreshTokenLifetime', { refreshTokenLifetime: 0 }, /longer than zero/],
    ['slidingTokenLifetime', { slidingTokenLifetime: Number.NaN }, /expected seconds/],
    ['leeway', { leeway: -1 }, /must not be negative/],
    ['leeway', { leeway: '2d' }, /at most 3600 seconds/],
    ['leeway', { leeway: {} as never }, /expected seconds/],
    ['rotateRefreshTokens', { rotateRefreshTokens: 'yes' as never }, /expected true or false/],
    ['authHeaderTypes', { authHeaderTypes: [] }, /non-empty list/],
    ['authTokenClasses', { authTokenClasses: ['bearer' as never] }, /unknown token type/],
    ['userIdClaim', { userIdClaim: '' }, /non-empty string/],
    ['userAuthenticationRule', { userAuthenticationRule: 'default' as never }, /expected a function/],
    ['signingKey', { signingKey: 42 as never }, /expected a string, a Buffer or a KeyObject/],
    ['maxTokenLength', { maxTokenLength: 10 }, /whole number >= 128/],
    ['secretKey', { secretKey: 'x' }, /has been removed/],
    ['accessTokenLifetme', { accessTokenLifetme: '5m' }, /unknown setting/],
  ];
  it.each(refusals)('refuses a bad %s at start-up, naming the setting', (setting, input, problem) => {
    let caught: unknown;
    try {
      resolveSettings(input as SimpleJwtSettings);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ImproperlyConfiguredError);
    expect((caught as ImproperlyConfiguredError).setting).toBe(setting);
    expect((caught as Error).message).toContain(`'${setting}'`);
    expect((caught as Error).message).toMatch(problem);
  });

  it('lets two instances hold different settings side by side', () => {
    const a = resolveSettings({ accessTokenLifetime: '1m' });
    const b = resolveSettings({ accessTokenLifetime: '2m' });
    expect([a.accessTokenLifetime, b.accessTokenLifetime]).toEqual([60, 120]);
  });
});

describe('settingsFromEnv', () => {
  it('names variables SIMPLE_JWT_<SETTING_NAME>', () => {
    expect(envNameOf('accessTokenLifetime')).toBe('SIMPLE_JWT_ACCESS_TOKEN_LIFETIME');
    expect(envNameOf('jwkUrl')).toBe('SIMPLE_JWT_JWK_URL');
  });

  it('reads durations, booleans, lists and null claims, and leaves unset variables out', () => {
    const settings = settingsFromEnv({
      SIMPLE_JWT_ACCESS_TOKEN_LIFETIME: '5m',
      SIMPLE_JWT_ROTATE_REFRESH_TOKENS: 'true',
      SIMPLE_JWT_BLACKLIST_AFTER_ROTATION: '0',
      SIMPLE_JWT_AUTH_HEADER_TYPES: 'Bearer, JWT',
      SIMPLE_JWT_AUTH_TOKEN_CLASSES: 'access,sliding',
      SIMPLE_JWT_JTI_CLAIM: 'null',
      SIMPLE_JWT_AUDIENCE: 'api',
      SIMPLE_JWT_MAX_TOKEN_LENGTH: '4096',
      UNRELATED: 'x',
    });
    expect(settings).toEqual({
      accessTokenLifetime: '5m',
      rotateRefreshTokens: true,
      blacklistAfterRotation: false,
      authHeaderTypes: ['Bearer', 'JWT'],
      authTokenClasses: ['access', 'sliding'],
      jtiClaim: null,
      audience: 'api',
      maxTokenLength: 4096,
    });
    expect(resolveSettings(settings).accessTokenLifetime).toBe(300);
  });

  it('refuses a boolean variable that is not a boolean, naming it', () => {
    expect(() => settingsFromEnv({ SIMPLE_JWT_UPDATE_LAST_LOGIN: 'maybe' })).toThrow(
      /SIMPLE_JWT_UPDATE_LAST_LOGIN must be true or false/,
    );
  });

  it('never reads function-valued settings from the environment', () => {
    expect(settingsFromEnv({ SIMPLE_JWT_USER_AUTHENTICATION_RULE: 'x' })).toEqual({});
  });
});
