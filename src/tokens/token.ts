import { randomUUID } from 'node:crypto';
import { type InspectOptions, inspect } from 'node:util';
import { TokenBackendError, TokenBackendExpiredError, type TokenPayload } from '../backend/token-backend.js';
import { epochSeconds } from '../clock.js';
import { ExpiredTokenError, messages, TokenError } from '../errors.js';
import type { TokenContext } from './token-context.js';

/** A decoded token handed to a token class constructor by `fromString` (not for direct use). */
export interface ParsedToken {
  /** `null` for a new token built from another's claims (rotation). */
  readonly token: string | null;
  readonly payload: TokenPayload;
  readonly currentTime: Date;
}

/** The static side every token class has; `context` is set by `bindTokenClasses`. */
export interface TokenClassStatics {
  readonly context: TokenContext | undefined;
  readonly tokenType: string | null;
  /** Seconds from creation to `exp`. */
  readonly lifetime: number | null;
  /** Whether `verify` looks the token up in the blacklist when there is a store. @default false */
  readonly checksBlacklist?: boolean;
}

/** Options of `fromString`. */
export interface FromStringOptions {
  /** Check the signature and the claims. @default true */
  verify?: boolean;
  /**
   * With `verify`, also look the token up in the blacklist (blacklistable tokens with a store).
   * `false` leaves that lookup to the caller, e.g. to run it in parallel with a user lookup.
   * @default true
   */
  checkBlacklist?: boolean;
}

/** What `verify` is told by `fromString`. */
export interface VerifyOptions {
  /** Blacklistable tokens only: look the token up in the blacklist too. @default true */
  checkBlacklist?: boolean;
}

/** A token class producing instances of `T` (what `fromString`/`forUser` are called on). */
export type TokenClass<T extends Token> = (new (parsed?: ParsedToken) => T) & TokenClassStatics;

/** Options of `forUser`. */
export interface ForUserOptions<T extends Token> {
  /** Runs after the user claims are set and before the token is recorded (custom claims: `getToken`). */
  beforeRecord?: ((token: T) => void | Promise<void>) | undefined;
  /** The login request's `User-Agent`, kept on the new token family (refresh and sliding tokens). */
  userAgent?: string | null | undefined;
}

function contextOf(tokenClass: TokenClassStatics & { readonly name: string }): TokenContext {
  if (tokenClass.context === undefined) {
    throw new Error(
      `${tokenClass.name} is not bound to a SimpleJwt instance: use the classes from bindTokenClasses(context) or jwt.tokens`,
    );
  }
  if (tokenClass.tokenType === null || tokenClass.lifetime === null) {
    throw new TokenError(messages.cannotCreateToken);
  }
  return tokenClass.context;
}

/** Backend failures as the token errors clients see; anything else is a bug and propagates. */
function tokenErrorFrom(error: unknown): unknown {
  if (error instanceof TokenBackendExpiredError)
    return new ExpiredTokenError(messages.tokenExpired, { cause: error });
  if (error instanceof TokenBackendError) return new TokenError(messages.tokenInvalid, { cause: error });
  return error;
}

/**
 * Simple JWT's Token: a payload of claims that is either new (`new X()`, `X.forUser(user)`) or parsed
 * and verified (`await X.fromString(token)`). Subclasses set `tokenType` and `lifetime`; token classes
 * are used bound to a `TokenContext` (`bindTokenClasses`), never through module state.
 */
export class Token {
  /** The instance this class is bound to; `undefined` on the unbound base classes. */
  static context: TokenContext | undefined = undefined;
  /** The value of the token type claim. @default null (cannot be instantiated) */
  static tokenType: string | null = null;
  /** Seconds from creation to `exp`. @default null (cannot be instantiated) */
  static lifetime: number | null = null;
  /** Whether `verify` looks the token up in the blacklist when there is a store. */
  static readonly checksBlacklist: boolean = false;

  /** The string this token was parsed from; `null` for a new token. */
  readonly token: string | null;
  /** Creation time of a new token, parse time of a parsed one: the base of `setExp`, `setIat`, `checkExp`. */
  readonly currentTime: Date;
  /** The claims, a null-prototype object (a `__proto__` claim is plain data). */
  readonly payload: TokenPayload;

  /** A new token: `{token_type, exp, iat, jti}`. (`parsed` is `fromString`'s, not for direct use.) */
  constructor(parsed?: ParsedToken) {
    const context = contextOf(this.constructor as typeof Token);
    if (parsed) {
      this.token = parsed.token;
      this.currentTime = parsed.currentTime;
      this.payload = parsed.payload;
      return;
    }
    this.token = null;
    this.currentTime = context.now();
    this.payload = Object.create(null);
    // A null claim name omits the claim (Simple JWT writes a literal "null" claim instead).
    const { tokenTypeClaim } = context.settings;
    if (tokenTypeClaim !== null) this.payload[tokenTypeClaim] = this.statics.tokenType;
    this.setExp();
    this.setIat();
    this.setJti();
  }

  /**
   * Decodes and (unless `verify: false`) verifies `token`: signature and registered claims in the
   * backend, then `exp` present and unexpired, id present, type present and right, and last (for
   * blacklistable tokens with a store, unless `checkBlacklist: false`) not blacklisted, so junk
   * never costs a database query.
   * @throws ExpiredTokenError "Token is expired", or TokenError with Simple JWT's message.
   */
  static async fromString<T extends Token>(
    this: TokenClass<T>,
    token: string,
    { verify = true, checkBlacklist = true }: FromStringOptions = {},
  ): Promise<T> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass called on (RefreshToken, ...).
    const context = contextOf(this);
    const currentTime = context.now();
    let payload: TokenPayload;
    try {
      payload = await context.backend.decode(token, { verify });
    } catch (error) {
      throw tokenErrorFrom(error);
    }
    const parsed = new this({ token, payload, currentTime });
    if (verify) await parsed.verify({ checkBlacklist });
    return parsed;
  }

  /**
   * `fromString` (verifying, blacklist included) without a promise, for the per-request path:
   * `undefined` when that would need I/O — a blacklist lookup (blacklistable tokens with a store) or
   * a JWKS key not fetched yet — and the caller then awaits `fromString`.
   * @throws ExpiredTokenError "Token is expired", or TokenError with Simple JWT's message.
   */
  static fromStringSync<T extends Token>(this: TokenClass<T>, token: string): T | undefined {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass called on (AccessToken, ...).
    const context = contextOf(this);
    // biome-ignore lint/complexity/noThisInStatic: blacklistable subclasses override it.
    if (this.checksBlacklist === true && context.store !== null) return undefined;
    const currentTime = context.now();
    let payload: TokenPayload | undefined;
    try {
      payload = context.backend.decodeSync?.(token);
    } catch (error) {
      throw tokenErrorFrom(error);
    }
    if (payload === undefined) return undefined;
    const parsed = new this({ token, payload, currentTime });
    parsed.verifyClaims();
    return parsed;
  }

  /**
   * A new token for `user`: the user id claim (a string), the revoke-hash claim with
   * `checkRevokeToken`, then `beforeRecord`, then the outstanding record (refresh and sliding
   * tokens, when the blacklist is on). An inactive user gets a token and a warning, as in Simple JWT.
   */
  static async forUser<T extends Token>(
    this: TokenClass<T>,
    user: object,
    options: ForUserOptions<T> = {},
  ): Promise<T> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass called on (RefreshToken, ...).
    const context = contextOf(this);
    const { users, settings } = context;
    const userId = String(users.idOf(user));
    if (!users.isActive(user)) {
      context.warn(
        `Creating token for inactive user: ${userId}. If this is not intentional, consider checking the user's status before calling the \`forUser\` method.`,
      );
    }
    const token = new this();
    token.set(settings.userIdClaim, userId);
    const passwordHash = settings.checkRevokeToken ? users.passwordHashOf(user) : undefined;
    // Without a password hash no claim could ever match, so none is written.
    if (passwordHash !== undefined) token.set(settings.revokeTokenClaim, context.revokeHashOf(passwordHash));
    token.beginFamily(options.userAgent ?? null);
    await options.beforeRecord?.(token);
    await token.outstand();
    return token;
  }

  protected get statics(): TokenClassStatics {
    return this.constructor as typeof Token;
  }

  protected get context(): TokenContext {
    return contextOf(this.constructor as typeof Token);
  }

  /** Runs the checks of `fromString` on this token's claims (`options` matter to blacklistable tokens). */
  async verify(_options: VerifyOptions = {}): Promise<void> {
    this.verifyClaims();
  }

  /** The checks of `verify` that need no I/O: `exp`, id, type. */
  protected verifyClaims(): void {
    this.checkExp();
    const { jtiClaim } = this.context.settings;
    if (jtiClaim !== null && !this.has(jtiClaim)) throw new TokenError(messages.tokenHasNoId);
    this.verifyTokenType();
  }

  /** "Token has no type" / "Token has wrong type"; skipped when `tokenTypeClaim` is null. */
  protected verifyTokenType(): void {
    const { tokenTypeClaim } = this.context.settings;
    if (tokenTypeClaim === null) return;
    if (!this.has(tokenTypeClaim)) throw new TokenError(messages.tokenHasNoType);
    if (this.payload[tokenTypeClaim] !== this.statics.tokenType)
      throw new TokenError(messages.tokenHasWrongType);
  }

  /** A login starts a token family (refresh and sliding tokens); a no-op for other tokens. */
  protected beginFamily(_userAgent: string | null): void {}

  /** Records the token as outstanding; a no-op but for blacklistable tokens (Simple JWT 5.5.1). */
  async outstand(): Promise<void> {}

  /** The signed token (re-encoded on every call). */
  toString(): string {
    return this.context.backend.encode(this.payload);
  }

  /** The claim's value, or `defaultValue` when absent. */
  get(claim: string, defaultValue?: unknown): unknown {
    return this.has(claim) ? this.payload[claim] : defaultValue;
  }

  /** Sets a claim (a `__proto__` claim included: the payload has no prototype). */
  set(claim: string, value: unknown): void {
    this.payload[claim] = value;
  }

  /** Removes the claim; `false` when it was absent. */
  delete(claim: string): boolean {
    const present = this.has(claim);
    delete this.payload[claim];
    return present;
  }

  /** Whether the claim is present (own claims only, never inherited names like `toString`). */
  has(claim: string): boolean {
    return Object.hasOwn(this.payload, claim);
  }

  /** A new `jti`: uuid4 as 32 lowercase hex digits; nothing when `jtiClaim` is null. */
  setJti(): void {
    const { jtiClaim } = this.context.settings;
    if (jtiClaim !== null) this.payload[jtiClaim] = randomUUID().replaceAll('-', '');
  }

  /** `claim` = `fromTime` + `lifetime` seconds, as whole epoch seconds (floored). */
  setExp({
    claim = 'exp',
    fromTime = this.currentTime,
    lifetime = this.statics.lifetime ?? 0,
  }: {
    claim?: string;
    fromTime?: Date;
    lifetime?: number;
  } = {}): void {
    this.payload[claim] = Math.floor((fromTime.getTime() + lifetime * 1000) / 1000);
  }

  /** `claim` = `atTime` as whole epoch seconds (floored). */
  setIat({ claim = 'iat', atTime = this.currentTime }: { claim?: string; atTime?: Date } = {}): void {
    this.payload[claim] = epochSeconds(atTime);
  }

  /**
   * "Token has no '{claim}' claim" when absent, "Token '{claim}' claim has expired" when its time is at
   * or before `currentTime` minus leeway; a value that is not a number makes the token invalid.
   */
  checkExp(claim = 'exp', currentTime: Date = this.currentTime): void {
    if (!this.has(claim)) throw new TokenError(messages.tokenHasNoClaim(claim));
    const value = this.payload[claim];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new TokenError(messages.tokenInvalid);
    if (value <= currentTime.getTime() / 1000 - this.context.settings.leeway) {
      throw new TokenError(messages.tokenClaimExpired(claim));
    }
  }

  /** `util.inspect` shows the class and claims, never the raw token string (tokens stay out of logs). */
  [inspect.custom](_depth: number, options: InspectOptions): string {
    return `${this.constructor.name} ${inspect({ ...this.payload }, options)}`;
  }
}
