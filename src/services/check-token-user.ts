import { AuthenticationFailedError, messages, TokenError } from '../errors.js';
import { sessionMessages, sessionTokenError } from '../sessions/session-errors.js';
import { issuedBeforeRevocation } from '../sessions/tokens-valid-after.js';
import type { RefreshTokenInstance, SlidingTokenInstance } from '../tokens/bind-token-classes.js';
import { revokeClaimMatches } from '../tokens/revoke-claim.js';
import { userIdFromClaim } from '../tokens/user-id-claim.js';
import { usersDatabase } from './login.js';
import type { ServiceContext } from './service-context.js';

type RefreshableToken = RefreshTokenInstance | SlidingTokenInstance;

/**
 * The outcome of the user checks Simple JWT's master branch runs on refresh (5.5.1 answered 500 for
 * a deleted user): the user must still exist and pass the authentication rule, and with
 * `checkRevokeToken` the password must be unchanged.
 */
export type TokenUserCheck = 'passed' | 'noActiveAccount' | 'passwordChanged' | 'revoked';

/** Reads the token's user (one query, none in stateless mode) and judges it; throws nothing but outages. */
export async function checkTokenUser<User extends object>(
  context: ServiceContext<User>,
  token: RefreshableToken,
): Promise<TokenUserCheck> {
  const { settings, users } = context;
  if (!users) return 'passed';
  const claim = token.get(settings.userIdClaim);
  // As in Simple JWT, a token without a user id needs no user; a claim that names nobody fails closed.
  if (claim === undefined || claim === null || claim === '') return 'passed';
  const userId = userIdFromClaim(claim);
  const user = userId === null ? null : await usersDatabase(() => users.findById(userId));
  const ruleUser = user ? { isActive: users.isActive(user) } : null;
  if (!user || !settings.userAuthenticationRule(ruleUser, settings)) return 'noActiveAccount';
  if (
    settings.checkRevokeToken &&
    !revokeClaimMatches(token, settings.revokeTokenClaim, users.passwordHashOf(user), context.revokeHashOf)
  ) {
    return 'passwordChanged';
  }
  if (issuedBeforeRevocation(users, user, token)) return 'revoked';
  return 'passed';
}

/**
 * Turns a failed check into its error. A token whose password changed is blacklisted first (the
 * only write, made after every read answered). `blacklistKnown` says whether the caller already
 * looked the token up in the blacklist; when it did not, the blacklist still wins, as it does when
 * the lookup comes first: the blacklist insert's duplicate key, or a lookup, answers it.
 */
export async function rejectFailedUserCheck(
  check: TokenUserCheck,
  token: RefreshableToken,
  { blacklistKnown }: { blacklistKnown: boolean },
): Promise<void> {
  if (check === 'passed') return;
  if (check === 'revoked') {
    if (!blacklistKnown) await token.checkBlacklist();
    throw sessionTokenError(sessionMessages.tokenRevoked, 'TOKEN_REVOKED');
  }
  if (check === 'passwordChanged') {
    const blacklistedNow = await token.blacklist();
    if (!blacklistKnown && !blacklistedNow) throw new TokenError(messages.tokenBlacklisted);
    throw new AuthenticationFailedError('PASSWORD_CHANGED', messages.passwordChanged);
  }
  if (!blacklistKnown) await token.checkBlacklist();
  throw new AuthenticationFailedError('NO_ACTIVE_ACCOUNT', messages.noActiveAccountForToken);
}

/**
 * The blacklist lookup and the user checks in one step: both reads at once. The blacklist answers
 * first (as when it is looked up before the user), then the user.
 */
export async function checkBlacklistAndUser<User extends object>(
  context: ServiceContext<User>,
  token: RefreshableToken,
  between: () => void = () => undefined,
): Promise<void> {
  const [blacklisted, user] = await Promise.allSettled([
    token.isBlacklisted(),
    checkTokenUser(context, token),
  ]);
  if (blacklisted.status === 'rejected') throw blacklisted.reason;
  if (blacklisted.value) throw new TokenError(messages.tokenBlacklisted);
  between();
  if (user.status === 'rejected') throw user.reason;
  await rejectFailedUserCheck(user.value, token, { blacklistKnown: true });
}
