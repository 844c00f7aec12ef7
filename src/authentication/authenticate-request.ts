import {
  AuthenticationFailedError,
  InvalidTokenError,
  messages,
  SimpleJwtError,
  TokenStoreUnavailableError,
} from '../errors.js';
import { assertFamilyLive, readFamily } from '../sessions/family-state.js';
import type { TokenFamilyStore } from '../sessions/family-store.js';
import { assertIssuedAfterRevocation } from '../sessions/tokens-valid-after.js';
import type { ResolvedSettings } from '../settings.js';
import type { TokenUser } from '../token-user.js';
import type { BoundTokenClasses, TokenInstance } from '../tokens/bind-token-classes.js';
import { revokeClaimMatches } from '../tokens/revoke-claim.js';
import { userIdFromClaim } from '../tokens/user-id-claim.js';
import type { UserAdapter } from '../users/user-adapter.js';
import { rawTokenFromHeader } from './raw-token-from-header.js';
import { validatedToken } from './validated-token.js';
import { cachedValidatedTokenSync } from './validated-token-sync.js';
import type { VerifiedTokenCache } from './verified-token-cache.js';

/** What a request carries: the header value, and graphql-ws `connectionParams` for subscriptions. */
export interface AuthenticateRequestInput {
  readonly authorization?: string | null | undefined;
  readonly connectionParams?: Readonly<Record<string, unknown>> | null | undefined;
}

/** The result every resolver sees on its context. */
export interface AuthenticationResult<User> {
  /** The user document (database mode) or `null` (anonymous, or stateless mode). */
  readonly user: User | null;
  /** A stateless user built from the token's claims, or `null` when anonymous. */
  readonly tokenUser: TokenUser | null;
  /** The validated token, or `null` when anonymous. */
  readonly token: TokenInstance | null;
}

export interface AuthenticationContext<User extends object> {
  readonly settings: ResolvedSettings;
  readonly tokens: BoundTokenClasses;
  /** `null` for stateless authentication (JWTStatelessUserAuthentication). */
  readonly users: UserAdapter<User> | null;
  readonly createTokenUser: (token: TokenInstance) => TokenUser;
  revokeHashOf(passwordHash: string): string;
  /** Access tokens already validated (`accessTokenCacheSize`); `null` or absent: every token is verified. */
  readonly verifiedTokens?: VerifiedTokenCache | null;
  /** Token families: a token with a family claim is refused once its family is revoked (database mode). */
  readonly families?: TokenFamilyStore | null;
}

const anonymous = Object.freeze({ user: null, tokenUser: null, token: null });

function headerFrom(input: AuthenticateRequestInput, settings: ResolvedSettings): string | null | undefined {
  if (input.authorization !== undefined && input.authorization !== null) return input.authorization;
  const params = input.connectionParams;
  if (!params) return undefined;
  for (const key of Object.keys(params)) {
    if (key.toLowerCase() === settings.authHeaderName) {
      const value = params[key];
      return typeof value === 'string' ? value : undefined;
    }
  }
  return undefined;
}

/** The token's user id (a string, or an integer as its decimal string), else "no recognizable user". */
function requireUserId(token: TokenInstance, settings: ResolvedSettings): string {
  const userId = userIdFromClaim(token.get(settings.userIdClaim));
  if (userId === null) throw new InvalidTokenError(messages.noRecognizableUser);
  return userId;
}

async function loadUser<User extends object>(
  context: AuthenticationContext<User>,
  users: UserAdapter<User>,
  token: TokenInstance,
) {
  const { settings } = context;
  const userId = requireUserId(token, settings);
  // In the same step as the user: no query at all for a token without a family claim.
  const family = readFamily(context, token);
  let user: User | null;
  try {
    user = await users.findById(userId);
  } catch (cause) {
    throw new TokenStoreUnavailableError({ cause });
  }
  if (!user) throw new AuthenticationFailedError('USER_NOT_FOUND', messages.userNotFound);
  if (settings.checkUserIsActive && !users.isActive(user)) {
    throw new AuthenticationFailedError('USER_INACTIVE', messages.userInactive);
  }
  if (
    settings.checkRevokeToken &&
    !revokeClaimMatches(token, settings.revokeTokenClaim, users.passwordHashOf(user), context.revokeHashOf)
  ) {
    throw new AuthenticationFailedError('PASSWORD_CHANGED', messages.passwordChanged);
  }
  assertIssuedAfterRevocation(users, user, token);
  assertFamilyLive(await family);
  return user;
}

/** A value, or a promise of it when getting it needed I/O. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Simple JWT's JWTAuthentication (database mode) or JWTStatelessUserAuthentication (no user adapter):
 * no header or another scheme is anonymous; a bad token rejects the request (401) unless
 * `anonymousOnInvalidToken`; a database outage is always an error (503), never anonymous.
 *
 * Synchronous when no I/O is needed (stateless mode, a key at hand, no blacklist lookup): the result,
 * or a thrown error, without a promise. A promise otherwise (the user lookup in database mode, a JWKS
 * key to fetch, a blacklist lookup), which rejects with the same errors.
 */
export function authenticateRequest<User extends object>(
  context: AuthenticationContext<User>,
  input: AuthenticateRequestInput,
): MaybePromise<AuthenticationResult<User>> {
  const { settings } = context;
  try {
    const rawToken = rawTokenFromHeader(headerFrom(input, settings), settings.authHeaderTypes);
    if (rawToken === null) return anonymous;
    const token = cachedValidatedTokenSync(
      context.verifiedTokens,
      context.tokens,
      settings.authTokenClasses,
      rawToken,
    );
    if (token === undefined) return authenticateWithIo(context, rawToken);
    if (context.users) return withUser(context, context.users, token);
    requireUserId(token, settings);
    return { user: null, tokenUser: context.createTokenUser(token), token };
  } catch (error) {
    return anonymousOrThrow(error, settings);
  }
}

/** Anonymous for a rejected token when the settings say so; anything else (an outage) is thrown. */
function anonymousOrThrow(error: unknown, settings: ResolvedSettings): typeof anonymous {
  const rejectable = error instanceof SimpleJwtError && !(error instanceof TokenStoreUnavailableError);
  if (rejectable && settings.anonymousOnInvalidToken) return anonymous;
  throw error;
}

/** Database mode, once the token is validated: the user lookup. */
async function withUser<User extends object>(
  context: AuthenticationContext<User>,
  users: UserAdapter<User>,
  token: TokenInstance,
): Promise<AuthenticationResult<User>> {
  try {
    const user = await loadUser(context, users, token);
    return { user, tokenUser: context.createTokenUser(token), token };
  } catch (error) {
    return anonymousOrThrow(error, context.settings);
  }
}

/** Validation that needs I/O (a blacklist lookup, a JWKS key to fetch), then as above. */
async function authenticateWithIo<User extends object>(
  context: AuthenticationContext<User>,
  rawToken: string,
): Promise<AuthenticationResult<User>> {
  const { settings } = context;
  try {
    // The cache was already asked (a miss); only an access token validated here is remembered.
    const token = await validatedToken(context.tokens, settings.authTokenClasses, rawToken);
    context.verifiedTokens?.remember(rawToken, token);
    if (context.users) return await withUser(context, context.users, token);
    requireUserId(token, settings);
    return { user: null, tokenUser: context.createTokenUser(token), token };
  } catch (error) {
    return anonymousOrThrow(error, settings);
  }
}
