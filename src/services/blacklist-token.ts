import { messages, TokenError } from '../errors.js';
import type { ServiceContext } from './service-context.js';

/**
 * TokenBlacklistSerializer (logout): the refresh token must be valid and not yet blacklisted. One
 * step: the blacklist insert's duplicate key is the "Token is blacklisted" answer, no lookup first.
 * @returns `blacklisted: false` only when the instance has no token store.
 */
export async function blacklistToken<User extends object>(
  context: ServiceContext<User>,
  refreshToken: string,
): Promise<{ blacklisted: boolean }> {
  const refresh = await context.tokens.RefreshToken.fromString(refreshToken, { checkBlacklist: false });
  if (!context.store) return { blacklisted: false };
  if (!(await refresh.blacklist())) throw new TokenError(messages.tokenBlacklisted);
  return { blacklisted: true };
}
