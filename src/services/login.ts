import { AuthenticationFailedError, messages } from '../errors.js';
import type { Credentials } from '../users/user-adapter.js';
import type { ServiceContext } from './service-context.js';

/**
 * Checks credentials and the user authentication rule; one identical error for a wrong password, an
 * unknown user and an inactive user (no user enumeration). Then records the login when asked to.
 */
export async function loginUser<User extends object>(
  context: ServiceContext<User>,
  credentials: Credentials,
): Promise<User> {
  if (!context.authenticateUser) {
    throw new Error(
      'This SimpleJwt instance has no user model or authenticate option: it cannot log users in.',
    );
  }
  const user = await context.authenticateUser(credentials);
  const ruleUser = user && context.users ? { isActive: context.users.isActive(user) } : user;
  if (!user || !context.settings.userAuthenticationRule(ruleUser, context.settings)) {
    throw new AuthenticationFailedError('NO_ACTIVE_ACCOUNT', messages.noActiveAccount);
  }
  return user;
}

/** `updateLastLogin`: Simple JWT sets `last_login` on obtain only, never on refresh. */
export async function recordLogin<User extends object>(
  context: ServiceContext<User>,
  user: User,
): Promise<void> {
  if (context.settings.updateLastLogin && context.users)
    await context.users.updateLastLogin(user, context.now());
}
