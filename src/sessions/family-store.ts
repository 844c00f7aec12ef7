/** Why a token family was revoked. */
export type FamilyRevokeReason = 'reuse' | 'logout' | 'logout-all' | 'password-change' | 'admin';

/** The revoke reasons, for validation. */
export const familyRevokeReasons: readonly FamilyRevokeReason[] = [
  'reuse',
  'logout',
  'logout-all',
  'password-change',
  'admin',
];

/** One token family (a login and every token rotated from it): what a user sees as a session. */
export interface TokenFamilyRecord {
  /** The family id, the value of the family claim. */
  readonly id: string;
  /** The user id as a string; `null` when the token names no user. */
  readonly userId: string | null;
  readonly createdAt: Date;
  /** Updated on refresh, at most once a minute. */
  readonly lastUsedAt: Date;
  /** The `User-Agent` header of the login request, when it had one. */
  readonly userAgent: string | null;
  readonly revokedAt: Date | null;
  readonly revokedReason: FamilyRevokeReason | null;
  /** No token of the family is valid past this instant: `flushExpiredTokens` deletes the record then. */
  readonly expiresAt: Date;
}

/**
 * Where token families live (the `token_families` collection of the MongoDB store). Like
 * `TokenStore`, every method fails with `TokenStoreUnavailableError` when the database cannot be
 * reached, and nothing needs transactions or TTL indexes.
 */
export interface TokenFamilyStore {
  /** Records a new family (one insert, sent with the login's outstanding-token insert). */
  createFamily(record: TokenFamilyRecord): Promise<void>;
  /** The family, or `null` (one point lookup by `_id`). */
  findFamily(id: string): Promise<TokenFamilyRecord | null>;
  /** Sets `lastUsedAt` and moves `expiresAt` (one update). */
  touchFamily(id: string, lastUsedAt: Date, expiresAt: Date): Promise<void>;
  /**
   * Revokes the family unless it is revoked already; with `userId`, only a family of that user.
   * @returns `true` when this call revoked it.
   */
  revokeFamily(id: string, reason: FamilyRevokeReason, at: Date, userId?: string): Promise<boolean>;
  /** Revokes every unrevoked, unexpired family of a user; returns how many. */
  revokeFamiliesOf(userId: string, reason: FamilyRevokeReason, at: Date): Promise<number>;
  /** A user's families that are neither revoked nor expired at `now`, most recently used first. */
  liveFamiliesOf(userId: string, now: Date): Promise<TokenFamilyRecord[]>;
  /** When the token was blacklisted by a rotation, or `null` when it was not (or not by a rotation). */
  rotatedAt(jti: string): Promise<Date | null>;
  /** Deletes families that expired at or before `now`; returns how many. */
  flushExpiredFamilies(now: Date): Promise<number>;
}
