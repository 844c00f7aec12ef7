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
import { cachedValidatedToken, type VerifiedTokenCache } from './verified-token-cache.js';

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

/**
 * Simple JWT's JWTAuthentication (database mode) or JWTStatelessUserAuthentication (no user adapter):
 * no header or another scheme is anonymous; a bad token rejects the request (401) unless
 * `anonymousOnInvalidToken`; a database outage is always an error (503), never anonymous.
 */
export async function authenticateRequest<User extends object>(
  context: AuthenticationContext<User>,
  input: AuthenticateRequestInput,
): Promise<AuthenticationResult<User>> {
  const { settings } = context;
  try {
    const rawToken = rawTokenFromHeader(headerFrom(input, settings), settings.authHeaderTypes);
    if (rawToken === null) return anonymous;
    const token = await cachedValidatedToken(
      context.verifiedTokens,
      context.tokens,
      settings.authTokenClasses,
      rawToken,
    );
    if (!context.users) {
      requireUserId(token, settings);
      return { user: null, tokenUser: context.createTokenUser(token), token };
    }
    const user = await loadUser(context, context.users, token);
    return { user, tokenUser: context.createTokenUser(token), token };
  } catch (error) {
    const rejectable = error instanceof SimpleJwtError && !(error instanceof TokenStoreUnavailableError);
    if (rejectable && settings.anonymousOnInvalidToken) return anonymous;
    throw error;
  }
}
