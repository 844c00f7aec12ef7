import type { TokenPayload } from './backend/token-backend.js';
import { InvalidTokenError, messages } from './errors.js';
import type { ResolvedSettings } from './settings.js';
import { Token } from './tokens/token.js';
import { userIdFromClaim } from './tokens/user-id-claim.js';

const noDbRepresentation = 'Token users have no DB representation';
const noGroups: readonly never[] = Object.freeze([]);

/**
 * Simple JWT's TokenUser: the user of stateless authentication, built from a validated token's
 * claims with no database lookup. Always active and authenticated, with no groups or permissions;
 * other claims are read with `claim(name)`. Subclass it (and pass `tokenUserClass`) to expose more.
 */
export class TokenUser {
  readonly #token: Token | null;
  readonly #claims: Readonly<TokenPayload>;
  readonly #id: string;

  /**
   * @param token a validated token, or its payload.
   * @throws InvalidTokenError "Token contained no recognizable user identification" when the user id
   * claim is missing, empty, or neither a string nor a safe integer.
   */
  constructor(token: Token | Readonly<TokenPayload>, settings: Pick<ResolvedSettings, 'userIdClaim'>) {
    this.#token = token instanceof Token ? token : null;
    this.#claims = token instanceof Token ? token.payload : token;
    const id = userIdFromClaim(this.claim(settings.userIdClaim));
    if (id === null) throw new InvalidTokenError(messages.noRecognizableUser);
    this.#id = id;
  }

  /**
   * The user id claim, as a string: an integer claim (Simple JWT before 5.5.1 writes `"user_id": 1`)
   * gives its decimal string, so one user has one id whoever issued the token. The raw value is
   * `claim(userIdClaim)`.
   */
  get id(): string {
    return this.#id;
  }

  /** Same as `id` (Django's primary key). */
  get pk(): string {
    return this.id;
  }

  /** The `username` claim, or `''`. */
  get username(): string {
    const username = this.claim('username');
    return typeof username === 'string' ? username : '';
  }

  /** The `is_staff` claim, or `false`. */
  get isStaff(): boolean {
    return this.claim('is_staff') === true;
  }

  /** The `is_superuser` claim, or `false`. */
  get isSuperuser(): boolean {
    return this.claim('is_superuser') === true;
  }

  get isActive(): boolean {
    return true;
  }

  get isAnonymous(): boolean {
    return false;
  }

  get isAuthenticated(): boolean {
    return true;
  }

  get groups(): readonly never[] {
    return noGroups;
  }

  get userPermissions(): readonly never[] {
    return noGroups;
  }

  /** The token this user was built from; `null` when built from a payload. */
  get token(): Token | null {
    return this.#token;
  }

  /** All claims, read-only. */
  get claims(): Readonly<TokenPayload> {
    return this.#claims;
  }

  /** Any claim's value; `undefined` when absent. */
  claim(name: string): unknown {
    return Object.hasOwn(this.#claims, name) ? this.#claims[name] : undefined;
  }

  getUsername(): string {
    return this.username;
  }

  getGroupPermissions(_obj?: unknown): Set<string> {
    return new Set();
  }

  getAllPermissions(_obj?: unknown): Set<string> {
    return new Set();
  }

  hasPerm(_perm: string, _obj?: unknown): boolean {
    return false;
  }

  hasPerms(_perms: Iterable<string>, _obj?: unknown): boolean {
    return false;
  }

  hasModulePerms(_module: string): boolean {
    return false;
  }

  /** Equal to another TokenUser with the same id (Simple JWT compares ids only). */
  equals(other: unknown): boolean {
    return other instanceof TokenUser && other.id === this.id;
  }

  toString(): string {
    return `TokenUser ${this.id}`;
  }

  save(): never {
    throw new Error(noDbRepresentation);
  }

  delete(): never {
    throw new Error(noDbRepresentation);
  }

  setPassword(_rawPassword: string): never {
    throw new Error(noDbRepresentation);
  }

  checkPassword(_rawPassword: string): never {
    throw new Error(noDbRepresentation);
  }
}
