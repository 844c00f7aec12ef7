import { capAtFamilyDeadline } from '../sessions/family-claims.js';
import { BlacklistableToken } from './blacklistable-token.js';
import { type ParsedToken, Token, type TokenClass } from './token.js';

/** Simple JWT's AccessToken: type "access", lifetime `accessTokenLifetime`; never recorded or blacklisted. */
export class AccessToken extends Token {
  static override tokenType: string | null = 'access';
}

/**
 * Simple JWT's RefreshToken: type "refresh", lifetime `refreshTokenLifetime`, recorded when issued,
 * blacklistable, and the source of access tokens (`refresh.accessToken`).
 */
export class RefreshToken extends BlacklistableToken {
  static override tokenType: string | null = 'refresh';
  /** The class `accessToken` creates; set by `bindTokenClasses`. */
  static accessTokenClass: TokenClass<AccessToken> | undefined = undefined;

  /** Claims an access token does not inherit: it gets its own type, `exp`, `iat` and `jti`. */
  protected noCopyClaims(): ReadonlySet<string> {
    const { tokenTypeClaim, jtiClaim } = this.context.settings;
    return new Set(['exp', 'iat', 'jti', tokenTypeClaim ?? 'exp', jtiClaim ?? 'jti']);
  }

  /**
   * A new access token carrying every other claim of this refresh token (user id, custom claims);
   * its `exp` counts from this token's `currentTime` (creation or parse time), its `iat` is its own.
   */
  get accessToken(): AccessToken {
    const AccessTokenClass = (this.constructor as typeof RefreshToken).accessTokenClass;
    if (AccessTokenClass === undefined) {
      throw new Error(
        `${this.constructor.name} has no accessTokenClass: use the classes from bindTokenClasses`,
      );
    }
    const access = new AccessTokenClass();
    access.setExp({ fromTime: this.currentTime });
    const noCopy = this.noCopyClaims();
    for (const [claim, value] of Object.entries(this.payload)) {
      if (!noCopy.has(claim)) access.set(claim, value);
    }
    capAtFamilyDeadline(access, this.context.settings);
    return access;
  }
}

/**
 * Simple JWT's SlidingToken: type "sliding", lifetime `slidingTokenLifetime`; a new one also carries
 * `refresh_exp` (`slidingTokenRefreshExpClaim`) = creation + `slidingTokenRefreshLifetime`.
 */
export class SlidingToken extends BlacklistableToken {
  static override tokenType: string | null = 'sliding';

  constructor(parsed?: ParsedToken) {
    super(parsed);
    if (parsed === undefined) {
      const { slidingTokenRefreshExpClaim, slidingTokenRefreshLifetime } = this.context.settings;
      this.setExp({ claim: slidingTokenRefreshExpClaim, lifetime: slidingTokenRefreshLifetime });
    }
  }
}

/**
 * Simple JWT's UntypedToken: accepts a token of any type (signature, `exp` and id still checked).
 * A new one has lifetime 0, so it is born expired.
 */
export class UntypedToken extends Token {
  static override tokenType: string | null = 'untyped';
  static override lifetime: number | null = 0;

  protected override verifyTokenType(): void {}
}
