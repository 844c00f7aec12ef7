import { messages, TokenError } from '../errors.js';
import type { ResolvedSettings } from '../settings.js';
import type { FamilyState } from './family-state.js';
import type { TokenFamilyStore } from './family-store.js';
import { sessionTokenError } from './session-errors.js';

interface ReuseContext {
  readonly settings: ResolvedSettings;
  readonly families?: TokenFamilyStore | null | undefined;
  readonly reuseDetection?: boolean | undefined;
}

/**
 * The answer to a rotation that lost: its token was blacklisted already. A token rotated away at
 * least `reuseInterval` ago is reuse (a stolen token, or the legitimate holder's token replayed by a
 * thief): its whole family is revoked and the error says `REFRESH_TOKEN_REUSED`. Inside the grace
 * interval (two tabs refreshing at once), or for a token blacklisted by a logout, the answer is
 * the plain "Token is blacklisted". Costs one lookup, made in the same step as `alongside`.
 */
export async function rejectLostRotation(
  context: ReuseContext,
  family: FamilyState | null,
  jti: string,
  now: Date,
  alongside: Promise<unknown>,
): Promise<never> {
  const { families } = context;
  if (!context.reuseDetection || !families || family === null) {
    await alongside;
    throw new TokenError(messages.tokenBlacklisted);
  }
  const [rotatedAt] = await Promise.all([families.rotatedAt(jti), alongside]);
  const elapsed = rotatedAt === null ? null : (now.getTime() - rotatedAt.getTime()) / 1000;
  if (elapsed === null || elapsed < context.settings.reuseInterval) {
    throw new TokenError(messages.tokenBlacklisted);
  }
  await families.revokeFamily(family.id, 'reuse', now);
  throw sessionTokenError(messages.tokenBlacklisted, 'REFRESH_TOKEN_REUSED');
}
