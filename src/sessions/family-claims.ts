import { randomUUID } from 'node:crypto';
import { epochSeconds } from '../clock.js';
import type { ResolvedSettings } from '../settings.js';
import { sessionMessages, sessionTokenError } from './session-errors.js';

/** What the family helpers read and write of a token. */
interface ClaimHolder {
  get(claim: string): unknown;
  set(claim: string, value: unknown): void;
  has(claim: string): boolean;
}

/** Seconds a family record outlives its newest token's `exp`: covers the once-a-minute `lastUsedAt` throttle. */
export const familyTouchInterval = 60;

/**
 * Starts a family on a new login token: the login time, and a random family id when the family will
 * be recorded (`recorded`). A family id without a record would read as revoked wherever a family
 * store checks it, so an instance without one issues none.
 */
export function startFamily(
  token: ClaimHolder,
  settings: ResolvedSettings,
  now: Date,
  recorded: boolean,
): void {
  if (recorded && settings.familyClaim !== null)
    token.set(settings.familyClaim, randomUUID().replaceAll('-', ''));
  if (settings.authTimeClaim !== null) token.set(settings.authTimeClaim, epochSeconds(now));
}

/** The token's family id, or `null` for a token without one (older tokens, Simple JWT's). */
export function familyIdOf(token: ClaimHolder, settings: ResolvedSettings): string | null {
  if (settings.familyClaim === null) return null;
  const value = token.get(settings.familyClaim);
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Epoch seconds after which no token of the family may be refreshed; `null` without a limit or `auth_time`. */
export function familyDeadline(token: ClaimHolder, settings: ResolvedSettings): number | null {
  const lifetime = settings.refreshTokenFamilyLifetime;
  if (lifetime === undefined || settings.authTimeClaim === null) return null;
  const authTime = token.get(settings.authTimeClaim);
  if (typeof authTime !== 'number' || !Number.isFinite(authTime)) return null;
  return Math.floor(authTime + lifetime);
}

/** "Token family has expired" once `now` reaches the family's absolute deadline. */
export function assertWithinFamilyLifetime(token: ClaimHolder, settings: ResolvedSettings, now: Date): void {
  const deadline = familyDeadline(token, settings);
  if (deadline !== null && now.getTime() / 1000 >= deadline) {
    throw sessionTokenError(sessionMessages.familyExpired, 'TOKEN_FAMILY_EXPIRED');
  }
}

/** Keeps `exp` (and a sliding token's refresh deadline) at or before the family's absolute deadline. */
export function capAtFamilyDeadline(token: ClaimHolder, settings: ResolvedSettings): void {
  const deadline = familyDeadline(token, settings);
  if (deadline === null) return;
  for (const claim of ['exp', settings.slidingTokenRefreshExpClaim]) {
    const value = token.get(claim);
    if (typeof value === 'number' && value > deadline) token.set(claim, deadline);
  }
}

/**
 * When the family record may be deleted, seen from a token just issued: after the token's `exp`
 * (or a sliding token's refresh deadline) plus the longest lifetime a token made from it can have,
 * plus the `lastUsedAt` throttle.
 */
export function familyExpiryAfter(token: ClaimHolder, settings: ResolvedSettings): Date {
  const exp = token.get('exp');
  const refreshExp = token.get(settings.slidingTokenRefreshExpClaim);
  const last = Math.max(typeof exp === 'number' ? exp : 0, typeof refreshExp === 'number' ? refreshExp : 0);
  const extra = Math.max(settings.accessTokenLifetime, settings.slidingTokenLifetime) + familyTouchInterval;
  return new Date((last + extra) * 1000);
}
