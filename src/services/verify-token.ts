import { messages, TokenError } from '../errors.js';
import type { ServiceContext } from './service-context.js';

/**
 * TokenVerifySerializer: signature, `exp` and `jti` are checked, the type is not. When the blacklist
 * is on, a blacklisted token fails too — always, not only with `blacklistAfterRotation` as in Simple JWT.
 */
export async function verifyToken<User extends object>(
  context: ServiceContext<User>,
  token: string,
): Promise<{ valid: true }> {
  const untyped = await context.tokens.UntypedToken.fromString(token);
  const { jtiClaim } = context.settings;
  const jti = jtiClaim === null ? undefined : untyped.get(jtiClaim);
  if (context.store && typeof jti === 'string' && (await context.store.isBlacklisted(jti))) {
    throw new TokenError(messages.tokenBlacklisted);
  }
  return { valid: true };
}
