import { userIdClaimAsString } from '../tokens/user-id-claim.js';
import { checkTokenUser } from './check-token-user.js';
import type { ServiceContext } from './service-context.js';

/**
 * TokenRefreshSlidingSerializer: the token must be fully valid (including `exp`) and before its
 * `refresh_exp`; it comes back with a new `exp` and `iat`, the same `jti` and `refresh_exp`.
 */
export async function refreshSlidingToken<User extends object>(
  context: ServiceContext<User>,
  slidingToken: string,
): Promise<{ token: string }> {
  const sliding = await context.tokens.SlidingToken.fromString(slidingToken);
  sliding.checkExp(context.settings.slidingTokenRefreshExpClaim);
  await checkTokenUser(context, sliding);
  userIdClaimAsString(sliding, context.settings.userIdClaim);
  sliding.setExp();
  sliding.setIat();
  return { token: sliding.toString() };
}
