/**
 * The user id a user id claim holds, or `null` when it holds none. A non-empty string is the id as
 * is; a JSON integer (Simple JWT up to 5.5.0 writes integer primary keys as numbers) is read as its
 * decimal string, `1` as `"1"` and `-0` as `"0"`. Only safe integers: beyond 2^53 `JSON.parse` has
 * already rounded the number, so it could name another user. Everything else (objects, arrays,
 * booleans, `null`, fractions) names nobody.
 */
export function userIdFromClaim(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

/** What `userIdClaimAsString` needs of a token. */
interface ClaimHolder {
  get(claim: string): unknown;
  set(claim: string, value: unknown): void;
}

/**
 * Rewrites an integer user id claim as its decimal string, before tokens are issued from `token`
 * (refresh, rotation, sliding refresh): every token we issue carries the id as a string, as
 * `forUser` writes it and as Simple JWT 5.5.1 does. Other values are left as they are.
 */
export function userIdClaimAsString(token: ClaimHolder, userIdClaim: string): void {
  const value = token.get(userIdClaim);
  if (typeof value === 'string') return;
  const userId = userIdFromClaim(value);
  if (userId !== null) token.set(userIdClaim, userId);
}
