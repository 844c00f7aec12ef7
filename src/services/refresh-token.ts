import { messages, TokenError } from '../errors.js';
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
 * Rotation with `blacklistAfterRotation`: the user check (one read), then in one step the old
 * token's blacklist insert and the new token's record. The insert is the exactly-once primitive:
 * of N concurrent refreshes of one token exactly one inserts (Simple JWT lets all of them
 * through), and its duplicate key is the "Token is blacklisted" answer, so no blacklist lookup is
 * made on the way to success. Nothing is handed out before the insert succeeded; a loser deletes
 * the record of the token it will never hand out.
 */
async function rotateOnce<User extends object>(
  context: ServiceContext<User>,
  refresh: RefreshTokenInstance,
): Promise<RefreshTokenInstance> {
  await rejectFailedUserCheck(await checkTokenUser(context, refresh), refresh, { blacklistKnown: false });
  const rotated = refresh.rotated();
  const [blacklisting, recording] = await Promise.allSettled([refresh.blacklist(), rotated.outstand()]);
  if (blacklisting.status === 'rejected') throw blacklisting.reason;
  if (!blacklisting.value) {
    // A failure here leaves only the record of a token nobody holds, flushed at its expiry.
    if (recording.status === 'fulfilled') await rotated.forget().catch(() => undefined);
    throw new TokenError(messages.tokenBlacklisted);
  }
  if (recording.status === 'rejected') throw recording.reason;
  return rotated;
}

/**
 * TokenRefreshSerializer. Without rotation: the blacklist lookup and the user read in one step.
 * With rotation and `blacklistAfterRotation`, the submitted token is blacklisted by one atomic
 * write before anything is issued (see `rotateOnce`).
 */
export async function refreshAccessToken<User extends object>(
  context: ServiceContext<User>,
  refreshToken: string,
): Promise<RefreshResult> {
  const { settings, store } = context;
  const refresh = await context.tokens.RefreshToken.fromString(refreshToken, { checkBlacklist: false });
  userIdClaimAsString(refresh, settings.userIdClaim);
  if (settings.rotateRefreshTokens && settings.blacklistAfterRotation && store) {
    const rotated = await rotateOnce(context, refresh);
    return { access: refresh.accessToken.toString(), refresh: rotated.toString() };
  }
  await checkBlacklistAndUser(context, refresh);
  const access = refresh.accessToken.toString();
  if (!settings.rotateRefreshTokens) return { access };
  const rotated = refresh.rotated();
  await rotated.outstand();
  return { access, refresh: rotated.toString() };
}
