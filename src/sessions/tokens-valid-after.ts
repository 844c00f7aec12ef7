import type { UserAdapter } from '../users/user-adapter.js';
import { sessionMessages, sessionTokenError } from './session-errors.js';

interface IssuedToken {
  get(claim: string): unknown;
}

/**
 * True when the user's `tokensValidAfter` ("log out everywhere", a password change) is later than
 * the second the token was issued in. Reads the loaded user only: no query. A token issued in the
 * same second as the revocation is kept (whole-second `iat`), so a login right after it works; its
 * family, revoked too, still stops a refresh token of that second.
 */
export function issuedBeforeRevocation<User>(
  users: Pick<UserAdapter<User>, 'tokensValidAfterOf'>,
  user: User,
  token: IssuedToken,
): boolean {
  const validAfter = users.tokensValidAfterOf?.(user);
  if (!validAfter) return false;
  const iat = token.get('iat');
  return typeof iat === 'number' && iat < Math.floor(validAfter.getTime() / 1000);
}

/** "Token has been revoked" for a token issued before the user's `tokensValidAfter`. */
export function assertIssuedAfterRevocation<User>(
  users: Pick<UserAdapter<User>, 'tokensValidAfterOf'>,
  user: User,
  token: IssuedToken,
): void {
  if (issuedBeforeRevocation(users, user, token)) {
    throw sessionTokenError(sessionMessages.tokenRevoked, 'TOKEN_REVOKED');
  }
}
