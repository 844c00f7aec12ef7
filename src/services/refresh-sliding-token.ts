import { userIdClaimAsString } from '../tokens/user-id-claim.js';
import { checkBlacklistAndUser } from './check-token-user.js';
import type { ServiceContext } from './service-context.js';

/**
 * TokenRefreshSlidingSerializer: the token must be fully valid (including `exp`) and before its
 * `refresh_exp`; it comes back with a new `exp` and `iat`, the same `jti` and `refresh_exp`. The
 * blacklist lookup and the user read are one step; their answers keep their order (blacklist,
 * then `refresh_exp`, then the user).
 */
export async function refreshSlidingToken<User extends object>(
  context: ServiceContext<User>,
  slidingToken: string,
): Promise<{ token: string }> {
  const sliding = await context.tokens.SlidingToken.fromString(slidingToken, { checkBlacklist: false });
  await checkBlacklistAndUser(context, sliding, () =>
    sliding.checkExp(context.settings.slidingTokenRefreshExpClaim),
  );
  userIdClaimAsString(sliding, context.settings.userIdClaim);
  sliding.setExp();
  sliding.setIat();
  return { token: sliding.toString() };
}
