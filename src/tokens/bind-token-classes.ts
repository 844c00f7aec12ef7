import { Token } from './token.js';
import type { TokenContext } from './token-context.js';
import { AccessToken, RefreshToken, SlidingToken, UntypedToken } from './token-types.js';

/** The token classes of one `SimpleJwt` instance (`jwt.tokens`). Subclass them for custom token types. */
export interface BoundTokenClasses {
  /** Base for custom token classes: set `tokenType` and `lifetime`. */
  readonly Token: typeof Token;
  readonly AccessToken: typeof AccessToken;
  readonly RefreshToken: typeof RefreshToken;
  readonly SlidingToken: typeof SlidingToken;
  readonly UntypedToken: typeof UntypedToken;
}

/** Any token instance. */
export type TokenInstance = Token;
/** An instance of a bound `AccessToken`. */
export type AccessTokenInstance = AccessToken;
/** An instance of a bound `RefreshToken` (blacklistable, with `accessToken`). */
export type RefreshTokenInstance = RefreshToken;
/** An instance of a bound `SlidingToken` (blacklistable, with `refresh_exp`). */
export type SlidingTokenInstance = SlidingToken;
/** An instance of a bound `UntypedToken`. */
export type UntypedTokenInstance = UntypedToken;

/**
 * Subclasses of the token classes bound to `context`: its settings (lifetimes, claim names), backend,
 * store, clock and user reader. Two instances with different settings get separate classes, so
 * nothing is shared through module state.
 *
 * @example
 * const { RefreshToken } = bindTokenClasses(context);
 * const refresh = await RefreshToken.forUser(user);
 * const pair = { refresh: refresh.toString(), access: refresh.accessToken.toString() };
 */
export function bindTokenClasses(context: TokenContext): BoundTokenClasses {
  const { settings } = context;
  const BoundToken = class extends Token {
    static override context: TokenContext | undefined = context;
  };
  const BoundAccessToken = class extends AccessToken {
    static override context: TokenContext | undefined = context;
    static override lifetime: number | null = settings.accessTokenLifetime;
  };
  const BoundRefreshToken = class extends RefreshToken {
    static override context: TokenContext | undefined = context;
    static override lifetime: number | null = settings.refreshTokenLifetime;
    static override accessTokenClass: typeof AccessToken | undefined = BoundAccessToken;
  };
  const BoundSlidingToken = class extends SlidingToken {
    static override context: TokenContext | undefined = context;
    static override lifetime: number | null = settings.slidingTokenLifetime;
  };
  const BoundUntypedToken = class extends UntypedToken {
    static override context: TokenContext | undefined = context;
  };
  // The public names (`AccessToken`, ...) for messages and `util.inspect`.
  for (const [bound, name] of [
    [BoundToken, 'Token'],
    [BoundAccessToken, 'AccessToken'],
    [BoundRefreshToken, 'RefreshToken'],
    [BoundSlidingToken, 'SlidingToken'],
    [BoundUntypedToken, 'UntypedToken'],
  ] as const) {
    Object.defineProperty(bound, 'name', { value: name });
  }
  return Object.freeze({
    Token: BoundToken,
    AccessToken: BoundAccessToken,
    RefreshToken: BoundRefreshToken,
    SlidingToken: BoundSlidingToken,
    UntypedToken: BoundUntypedToken,
  });
}
