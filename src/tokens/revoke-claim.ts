import { timingSafeEqualStrings } from '../timing-safe-equal.js';

/** What the check reads of a token: its claims. */
interface ClaimReader {
  get(claim: string): unknown;
}

/**
 * `checkRevokeToken`: whether the token's revoke claim still matches the user's stored password hash
 * (constant-time). A user without a password hash, or a token without the claim, never matches.
 */
export function revokeClaimMatches(
  token: ClaimReader,
  revokeTokenClaim: string,
  passwordHash: string | undefined,
  revokeHashOf: (passwordHash: string) => string,
): boolean {
  const claim = token.get(revokeTokenClaim);
  if (passwordHash === undefined || typeof claim !== 'string') return false;
  return timingSafeEqualStrings(claim, revokeHashOf(passwordHash));
}
