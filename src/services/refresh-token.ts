import { messages, TokenError } from '../errors.js';
import { userIdClaimAsString } from '../tokens/user-id-claim.js';
import { checkTokenUser } from './check-token-user.js';
import type { ServiceContext } from './service-context.js';

export interface RefreshResult {
  readonly access: string;
  /** Present only when `rotateRefreshTokens` is on. */
  readonly refresh?: string;
}

/**
 * TokenRefreshSerializer. With rotation and `blacklistAfterRotation`, the submitted token is
 * blacklisted by one atomic write BEFORE anything is issued: of N concurrent refreshes of one token
 * exactly one succeeds (Simple JWT lets all of them through).
 */
export async function refreshAccessToken<User extends object>(
  context: ServiceContext<User>,
  refreshToken: string,
): Promise<RefreshResult> {
  const { settings, store } = context;
  const refresh = await context.tokens.RefreshToken.fromString(refreshToken);
  await checkTokenUser(context, refresh);
  userIdClaimAsString(refresh, settings.userIdClaim);
  if (!settings.rotateRefreshTokens) return { access: refresh.accessToken.toString() };

  if (settings.blacklistAfterRotation && store) {
    const blacklistedNow = await refresh.blacklist();
    if (!blacklistedNow) throw new TokenError(messages.tokenBlacklisted);
  }
  const access = refresh.accessToken.toString();
  refresh.setJti();
  refresh.setExp();
  refresh.setIat();
  await refresh.outstand();
  return { access, refresh: refresh.toString() };
}
