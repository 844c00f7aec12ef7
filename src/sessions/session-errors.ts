import { TokenError } from '../errors.js';

/** The English messages of session failures (all TOKEN_NOT_VALID). */
export const sessionMessages = {
  familyRevoked: 'Token family has been revoked',
  familyExpired: 'Token family has expired',
  tokenRevoked: 'Token has been revoked',
} as const;

/** `extensions.reason` of session failures: stable, for clients to act on. */
export type SessionFailureReason =
  | 'REFRESH_TOKEN_REUSED'
  | 'TOKEN_FAMILY_REVOKED'
  | 'TOKEN_FAMILY_EXPIRED'
  | 'TOKEN_REVOKED';

/** A TOKEN_NOT_VALID error carrying `extensions.reason`. */
export function sessionTokenError(message: string, reason: SessionFailureReason): TokenError {
  return new TokenError(message, { extensions: { reason } });
}
