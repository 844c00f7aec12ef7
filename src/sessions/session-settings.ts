import { describe, durationToSeconds } from '../duration.js';
import { ImproperlyConfiguredError } from '../errors.js';
import type { ResolvedSettings, SimpleJwtSettings } from '../settings.js';

type SessionSettingName =
  | 'familyClaim'
  | 'authTimeClaim'
  | 'reuseDetection'
  | 'reuseInterval'
  | 'refreshTokenFamilyLifetime'
  | 'tokensValidAfterField';

/** The session settings after validation. */
export type ResolvedSessionSettings = Pick<ResolvedSettings, SessionSettingName>;

function nullableName(name: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ImproperlyConfiguredError(name, `expected a non-empty string or null, got ${describe(value)}`);
  }
  return value;
}

/**
 * Validates the session settings (token families, reuse detection, absolute lifetime) against the
 * rotation settings they depend on. Whether a token store exists is checked by `createSimpleJwt`.
 */
export function resolveSessionSettings(merged: Required<SimpleJwtSettings>): ResolvedSessionSettings {
  const familyClaim = nullableName('familyClaim', merged.familyClaim);
  const authTimeClaim = nullableName('authTimeClaim', merged.authTimeClaim);
  const reuseDetection = merged.reuseDetection;
  if (reuseDetection !== undefined && typeof reuseDetection !== 'boolean') {
    throw new ImproperlyConfiguredError(
      'reuseDetection',
      `expected true, false or undefined, got ${describe(reuseDetection)}`,
    );
  }
  if (reuseDetection === true) {
    const missing = [
      merged.rotateRefreshTokens ? null : 'rotateRefreshTokens',
      merged.blacklistAfterRotation ? null : 'blacklistAfterRotation',
      familyClaim === null ? 'familyClaim' : null,
    ].filter((name) => name !== null);
    if (missing.length > 0) {
      throw new ImproperlyConfiguredError('reuseDetection', `needs ${missing.join(' and ')} on`);
    }
  }
  const reuseInterval = durationToSeconds('reuseInterval', merged.reuseInterval);
  const lifetime = merged.refreshTokenFamilyLifetime;
  let refreshTokenFamilyLifetime: number | undefined;
  if (lifetime !== undefined) {
    refreshTokenFamilyLifetime = durationToSeconds('refreshTokenFamilyLifetime', lifetime);
    if (refreshTokenFamilyLifetime <= 0) {
      throw new ImproperlyConfiguredError(
        'refreshTokenFamilyLifetime',
        `must be longer than zero, got ${describe(lifetime)}`,
      );
    }
    if (authTimeClaim === null) {
      throw new ImproperlyConfiguredError('refreshTokenFamilyLifetime', 'needs authTimeClaim');
    }
  }
  return {
    familyClaim,
    authTimeClaim,
    reuseDetection,
    reuseInterval,
    refreshTokenFamilyLifetime,
    tokensValidAfterField: nullableName('tokensValidAfterField', merged.tokensValidAfterField),
  };
}
