import { assertWithinFamilyLifetime } from '../sessions/family-claims.js';
import { assertFamilyLive, readFamily, touchFamilyIfDue } from '../sessions/family-state.js';
import { rejectLostRotation } from '../sessions/reuse-detection.js';
import type { RefreshTokenInstance } from '../tokens/bind-token-classes.js';
import { userIdClaimAsString } from '../tokens/user-id-claim.js';
import { checkBlacklistAndUser, checkTokenUser, rejectFailedUserCheck } from './check-token-user.js';
import type { ServiceContext } from './service-context.js';

export interface RefreshResult {
  readonly access: string;
  /** Present only when `rotateRefreshTokens` is on. */
  readonly refresh?: string;
}

/**
 * Rotation with `blacklistAfterRotation`: the user check and the family read (one step), then in
 * one step the old token's blacklist insert, the new token's record and, at most once a minute,
 * the family's last-used time. The insert is the exactly-once primitive: of N concurrent refreshes
 * of one token exactly one inserts (Simple JWT lets all of them through), and its duplicate key is
 * the "Token is blacklisted" answer, so no blacklist lookup is made on the way to success. Nothing
 * is handed out before the insert succeeded; a loser deletes the record of the token it will never
 * hand out, and with reuse detection revokes the family (see `rejectLostRotation`).
 */
async function rotateOnce<User extends object>(
  context: ServiceContext<User>,
  refresh: RefreshTokenInstance,
): Promise<RefreshTokenInstance> {
  const [family, user] = await Promise.allSettled([
    readFamily(context, refresh),
    checkTokenUser(context, refresh),
  ]);
  if (family.status === 'rejected') throw family.reason;
  assertFamilyLive(family.value);
  if (user.status === 'rejected') throw user.reason;
  await rejectFailedUserCheck(user.value, refresh, { blacklistKnown: false });
  const rotated = refresh.rotated();
  const now = refresh.currentTime;
  const [blacklisting, recording, touching] = await Promise.allSettled([
    refresh.blacklist({ rotatedAt: now }),
    rotated.outstand(),
    touchFamilyIfDue(context, family.value, now, rotated),
  ]);
  if (blacklisting.status === 'rejected') throw blacklisting.reason;
  if (!blacklisting.value) {
    // A failure here leaves only the record of a token nobody holds, flushed at its expiry.
    const forgetting =
      recording.status === 'fulfilled' ? rotated.forget().catch(() => undefined) : Promise.resolve();
    return rejectLostRotation(
      context,
      family.value,
      String(refresh.get(context.settings.jtiClaim ?? 'jti')),
      now,
      forgetting,
    );
  }
  if (recording.status === 'rejected') throw recording.reason;
  if (touching.status === 'rejected') throw touching.reason;
  return rotated;
}

/**
 * TokenRefreshSerializer. Without rotation: the blacklist lookup, the user read and the family
 * read in one step. With rotation and `blacklistAfterRotation`, the submitted token is blacklisted
 * by one atomic write before anything is issued (see `rotateOnce`). Past the family's absolute
 * lifetime nothing is read at all.
 */
export async function refreshAccessToken<User extends object>(
  context: ServiceContext<User>,
  refreshToken: string,
): Promise<RefreshResult> {
  const { settings, store } = context;
  const refresh = await context.tokens.RefreshToken.fromString(refreshToken, { checkBlacklist: false });
  userIdClaimAsString(refresh, settings.userIdClaim);
  assertWithinFamilyLifetime(refresh, settings, refresh.currentTime);
  if (settings.rotateRefreshTokens && settings.blacklistAfterRotation && store) {
    const rotated = await rotateOnce(context, refresh);
    return { access: refresh.accessToken.toString(), refresh: rotated.toString() };
  }
  const family = readFamily(context, refresh);
  await checkBlacklistAndUser(context, refresh);
  assertFamilyLive(await family);
  const access = refresh.accessToken.toString();
  if (!settings.rotateRefreshTokens) {
    await touchFamilyIfDue(context, await family, refresh.currentTime, null);
    return { access };
  }
  const rotated = refresh.rotated();
  await Promise.all([
    rotated.outstand(),
    touchFamilyIfDue(context, await family, refresh.currentTime, rotated),
  ]);
  return { access, refresh: rotated.toString() };
}
