import { AuthenticationFailedError, messages } from '../errors.js';
import type { RefreshTokenInstance, SlidingTokenInstance } from '../tokens/bind-token-classes.js';
import { revokeClaimMatches } from '../tokens/revoke-claim.js';
import { userIdFromClaim } from '../tokens/user-id-claim.js';
import { usersDatabase } from './login.js';
import type { ServiceContext } from './service-context.js';

/**
 * The user checks Simple JWT's master branch runs on refresh (5.5.1 answered 500 for a deleted user):
 * the user must still exist and pass the authentication rule, and with `checkRevokeToken` the
 * password must be unchanged — a stale token is then blacklisted before the error.
 */
export async function checkTokenUser<User extends object>(
  context: ServiceContext<User>,
  token: RefreshTokenInstance | SlidingTokenInstance,
): Promise<void> {
  const { settings, users } = context;
  if (!users) return;
  const claim = token.get(settings.userIdClaim);
  // As in Simple JWT, a token without a user id needs no user; a claim that names nobody fails closed.
  if (claim === undefined || claim === null || claim === '') return;
  const userId = userIdFromClaim(claim);
  const user = userId === null ? null : await usersDatabase(() => users.findById(userId));
  const ruleUser = user ? { isActive: users.isActive(user) } : null;
  if (!user || !settings.userAuthenticationRule(ruleUser, settings)) {
    throw new AuthenticationFailedError('NO_ACTIVE_ACCOUNT', messages.noActiveAccountForToken);
  }
  if (
    settings.checkRevokeToken &&
    !revokeClaimMatches(token, settings.revokeTokenClaim, users.passwordHashOf(user), context.revokeHashOf)
  ) {
    await token.blacklist();
    throw new AuthenticationFailedError('PASSWORD_CHANGED', messages.passwordChanged);
  }
}
