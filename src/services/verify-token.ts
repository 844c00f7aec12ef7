import { messages, TokenError } from '../errors.js';
import { assertFamilyLive, readFamily } from '../sessions/family-state.js';
import type { ServiceContext } from './service-context.js';

/**
 * TokenVerifySerializer: signature, `exp` and `jti` are checked, the type is not. When the blacklist
 * is on, a blacklisted token fails too — always, not only with `blacklistAfterRotation` as in Simple JWT.
 * A token of a revoked session (token family) fails as it would on refresh; its family is read beside
 * the blacklist lookup, and only for a token with a family claim.
 */
export async function verifyToken<User extends object>(
  context: ServiceContext<User>,
  token: string,
): Promise<{ valid: true }> {
  const untyped = await context.tokens.UntypedToken.fromString(token);
  const { jtiClaim } = context.settings;
  const jti = jtiClaim === null ? undefined : untyped.get(jtiClaim);
  const family = readFamily(context, untyped);
  if (context.store && typeof jti === 'string' && (await context.store.isBlacklisted(jti))) {
    throw new TokenError(messages.tokenBlacklisted);
  }
  assertFamilyLive(await family);
  return { valid: true };
}
