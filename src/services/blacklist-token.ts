import type { ServiceContext } from './service-context.js';

/**
 * TokenBlacklistSerializer (logout): the refresh token must be valid and not yet blacklisted.
 * @returns `blacklisted: false` only when the instance has no token store.
 */
export async function blacklistToken<User extends object>(
  context: ServiceContext<User>,
  refreshToken: string,
): Promise<{ blacklisted: boolean }> {
  const refresh = await context.tokens.RefreshToken.fromString(refreshToken);
  if (!context.store) return { blacklisted: false };
  await refresh.blacklist();
  return { blacklisted: true };
}
