/**
 * What the token rules need from a user store. `createMongooseUserAdapter` builds one from any
 * mongoose model; a custom store can implement it directly.
 */
export interface UserAdapter<User> {
  /** The user whose `userIdField` equals `id`; `null` when absent or when `id` is malformed for the field. */
  findById(id: string): Promise<User | null>;
  /** The value of `userIdField`, as a string (what goes into the user id claim). */
  idOf(user: User): string;
  /** Whether the account is active (`isActive`); users without the field count as active. */
  isActive(user: User): boolean;
  /** The stored password hash, used by `checkRevokeToken`; `undefined` if the user has none. */
  passwordHashOf(user: User): string | undefined;
  /** Sets `lastLogin` (for `updateLastLogin`). */
  updateLastLogin(user: User, at: Date): Promise<void>;
  /** Tokens issued before this instant are refused ("log out everywhere"); absent: no such field. */
  tokensValidAfterOf?(user: User): Date | null;
  /** Sets the instant before which tokens are refused (one atomic field write). */
  setTokensValidAfter?(user: User, at: Date): Promise<void>;
}

/** Username and password as received; anything that is not a string is refused before any lookup. */
export interface Credentials {
  readonly username: unknown;
  readonly password: unknown;
}

/**
 * Checks credentials as received (refusing non-strings before any lookup) and returns the user, or
 * `null` for an unknown user or a wrong password. Must run the password hasher exactly once on every
 * branch (no user enumeration by timing). Inactive users are returned: `userAuthenticationRule` decides.
 */
export type AuthenticateUser<User> = (credentials: Credentials) => Promise<User | null>;
