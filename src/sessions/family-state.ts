import type { ResolvedSettings } from '../settings.js';
import { familyExpiryAfter, familyIdOf, familyTouchInterval } from './family-claims.js';
import type { TokenFamilyRecord, TokenFamilyStore } from './family-store.js';
import { sessionMessages, sessionTokenError } from './session-errors.js';

/** A token's family as read for one request: `null` when the token has none or families are off. */
export interface FamilyState {
  readonly id: string;
  readonly record: TokenFamilyRecord | null;
}

interface FamilyReader {
  readonly settings: ResolvedSettings;
  readonly families?: TokenFamilyStore | null | undefined;
}

interface ClaimHolder {
  get(claim: string): unknown;
  set(claim: string, value: unknown): void;
  has(claim: string): boolean;
}

/**
 * Starts reading the token's family record: no query at all for a token without a family claim
 * or without a family store. The promise is marked handled, so the caller can await it after
 * other reads made in the same step.
 */
export function readFamily(context: FamilyReader, token: ClaimHolder): Promise<FamilyState | null> {
  const { families } = context;
  const id = familyIdOf(token, context.settings);
  if (!families || id === null) return Promise.resolve(null);
  const reading = families.findFamily(id).then((record) => ({ id, record }));
  reading.catch(() => undefined);
  return reading;
}

/**
 * "Token family has been revoked" for a revoked family, and for one with no record (flushed, or
 * never recorded): fail closed.
 */
export function assertFamilyLive(state: FamilyState | null): void {
  if (state === null) return;
  if (state.record === null || state.record.revokedAt !== null) {
    throw sessionTokenError(sessionMessages.familyRevoked, 'TOKEN_FAMILY_REVOKED');
  }
}

/**
 * Records a refresh on the family (last used, and an expiry that covers `issued`), at most once
 * per `familyTouchInterval`: within it the stored expiry already covers any token issued.
 */
export async function touchFamilyIfDue(
  context: FamilyReader,
  state: FamilyState | null,
  now: Date,
  issued: ClaimHolder | null,
): Promise<void> {
  const { families } = context;
  const record = state?.record;
  if (!families || !record) return;
  if (now.getTime() - record.lastUsedAt.getTime() < familyTouchInterval * 1000) return;
  const covering = issued ? familyExpiryAfter(issued, context.settings) : record.expiresAt;
  const expiresAt = new Date(Math.max(covering.getTime(), record.expiresAt.getTime()));
  await families.touchFamily(record.id, now, expiresAt);
}
