import { assertWithinFamilyLifetime, capAtFamilyDeadline } from '../sessions/family-claims.js';
import { assertFamilyLive, readFamily, touchFamilyIfDue } from '../sessions/family-state.js';
import { userIdClaimAsString } from '../tokens/user-id-claim.js';
import { checkBlacklistAndUser } from './check-token-user.js';
import type { ServiceContext } from './service-context.js';

/**
 * TokenRefreshSlidingSerializer: the token must be fully valid (including `exp`) and before its
 * `refresh_exp`; it comes back with a new `exp` and `iat`, the same `jti` and `refresh_exp`. The
 * blacklist lookup, the user read and the family read are one step; their answers keep their order
 * (blacklist, then `refresh_exp`, then the user, then the family).
 */
export async function refreshSlidingToken<User extends object>(
  context: ServiceContext<User>,
  slidingToken: string,
): Promise<{ token: string }> {
  const { settings } = context;
  const sliding = await context.tokens.SlidingToken.fromString(slidingToken, { checkBlacklist: false });
  assertWithinFamilyLifetime(sliding, settings, sliding.currentTime);
  const family = readFamily(context, sliding);
  await checkBlacklistAndUser(context, sliding, () => sliding.checkExp(settings.slidingTokenRefreshExpClaim));
  assertFamilyLive(await family);
  userIdClaimAsString(sliding, settings.userIdClaim);
  sliding.setExp();
  sliding.setIat();
  capAtFamilyDeadline(sliding, settings);
  await touchFamilyIfDue(context, await family, sliding.currentTime, sliding);
  return { token: sliding.toString() };
}
