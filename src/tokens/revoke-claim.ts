import { timingSafeEqualStrings } from '../timing-safe-equal.js';
import type { RevokeHasher } from './revoke-hash.js';

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
  revokeHashOf: RevokeHasher,
): boolean {
  const claim = token.get(revokeTokenClaim);
  if (passwordHash === undefined || typeof claim !== 'string') return false;
  if (timingSafeEqualStrings(claim, revokeHashOf(passwordHash))) return true;
  // A key ring: the claim of a token issued before a rotation is keyed by an earlier key.
  return (
    revokeHashOf.otherKeys?.some((hashOf) => timingSafeEqualStrings(claim, hashOf(passwordHash))) ?? false
  );
}
