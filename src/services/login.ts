import {
  AuthenticationFailedError,
  messages,
  SimpleJwtError,
  TokenStoreUnavailableError,
} from '../errors.js';
import type { LoginRequest } from '../throttle/login-throttle.js';
import type { Credentials } from '../users/user-adapter.js';
import type { ServiceContext } from './service-context.js';

/**
 * Checks credentials and the user authentication rule; one identical error for a wrong password, an
 * unknown user and an inactive user (no user enumeration). With `loginThrottle` the attempt is
 * counted first, from the username as typed (before any lookup, so known and unknown names cost
 * the same), and a throttled attempt is refused before the password is hashed.
 */
export async function loginUser<User extends object>(
  context: ServiceContext<User>,
  credentials: Credentials,
  request: LoginRequest = {},
): Promise<User> {
  const { authenticateUser } = context;
  if (!authenticateUser) {
    throw new Error(
      'This SimpleJwt instance has no user model or authenticate option: it cannot log users in.',
    );
  }
  const attempt = await context.loginThrottle?.begin(credentials?.username, request);
  const user = await usersDatabase(() => authenticateUser(credentials));
  const ruleUser = user && context.users ? { isActive: context.users.isActive(user) } : user;
  if (!user || !context.settings.userAuthenticationRule(ruleUser, context.settings)) {
    throw new AuthenticationFailedError('NO_ACTIVE_ACCOUNT', messages.noActiveAccount);
  }
  await attempt?.succeeded();
  return user;
}

/** `updateLastLogin`: Simple JWT sets `last_login` on obtain only, never on refresh. */
export async function recordLogin<User extends object>(
  context: ServiceContext<User>,
  user: User,
): Promise<void> {
  const { users } = context;
  if (context.settings.updateLastLogin && users)
    await usersDatabase(() => users.updateLastLogin(user, context.now()));
}

/**
 * Runs a user-store call; a failure that is not one of ours (the database is unreachable) becomes
 * `TOKEN_STORE_UNAVAILABLE`, as in request authentication: fail closed, no database text to clients.
 */
export async function usersDatabase<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (cause instanceof SimpleJwtError) throw cause;
    throw new TokenStoreUnavailableError({ cause });
  }
}
