import type { Connection, Model } from 'mongoose';
import {
  type AuthenticateRequestInput,
  type AuthenticationResult,
  authenticateRequest,
  type MaybePromise,
} from './authentication/authenticate-request.js';
import {
  createVerifiedTokenCache,
  defaultAccessTokenCacheSize,
} from './authentication/verified-token-cache.js';
import { createTokenBackend } from './backend/create-token-backend.js';
import type { JwksOptions } from './backend/jwks-keys.js';
import type { TokenBackend } from './backend/token-backend.js';
import { type RefreshCookieOptions, resolveRefreshCookieOptions } from './browser/refresh-cookie-options.js';
import {
  type ApolloResponsePlugin,
  createRefreshCookieTransport,
  type RefreshCookieTransport,
  refreshCookieJarKey,
  type YogaResponsePlugin,
} from './browser/refresh-cookie-transport.js';
import { type Clock, systemClock } from './clock.js';
import { challengeHeaders, ImproperlyConfiguredError, SimpleJwtError } from './errors.js';
import type { JsonWebKeySet } from './keys/public-jwk.js';
import { blacklistToken } from './services/blacklist-token.js';
import { obtainSlidingToken } from './services/obtain-sliding-token.js';
import { type LoginOptions, obtainTokenPair, type TokenPair } from './services/obtain-token-pair.js';
import { refreshSlidingToken } from './services/refresh-sliding-token.js';
import { type RefreshResult, refreshAccessToken } from './services/refresh-token.js';
import type { GetTokenHook, ServiceContext } from './services/service-context.js';
import { verifyToken } from './services/verify-token.js';
import { familiesFrom, reuseDetectionOf } from './sessions/families-option.js';
import type { FamilyRevokeReason, TokenFamilyStore } from './sessions/family-store.js';
import {
  listSessions,
  revokeAllSessionsOf,
  revokeSession,
  type SessionContext,
  type TokenSession,
} from './sessions/session-service.js';
import { type ResolvedSettings, resolveSettings, type SimpleJwtSettings } from './settings.js';
import { createMongoTokenStore, type MongoTokenStoreOptions } from './store/mongo-token-store.js';
import { resolveMongoTokenStoreOptions } from './store/mongo-token-store-options.js';
import type { FlushResult, TokenStore } from './store/token-store.js';
import { peerAddressKey } from './throttle/client-address.js';
import { createLoginThrottle } from './throttle/login-throttle.js';
import { TokenUser } from './token-user.js';
import { type BoundTokenClasses, bindTokenClasses, type TokenInstance } from './tokens/bind-token-classes.js';
import { createRevokeHasher } from './tokens/revoke-hash.js';
import { createAuthenticator } from './users/authenticate.js';
import {
  createMongooseUserAdapter,
  type MongooseUserAdapter,
  type MongooseUserAdapterOptions,
} from './users/mongoose-user-adapter.js';
import { createScryptPasswordHasher, type PasswordHasher } from './users/password-hasher.js';
import type { AuthenticateUser, Credentials, UserAdapter } from './users/user-adapter.js';
import { withinDeadline, withUserStoreDeadline } from './users/user-store-deadline.js';

/** A class building the stateless user from a token (`tokenUserClass`). */
export type TokenUserClass = new (token: TokenInstance, settings: ResolvedSettings) => TokenUser;

export interface CreateSimpleJwtOptions<User extends object> {
  /** Simple JWT's settings (camelCase); validated here, once. */
  settings: SimpleJwtSettings;
  /**
   * The mongoose connection holding `outstanding_tokens` and `blacklisted_tokens`. Giving one turns
   * the blacklist on (Simple JWT's `token_blacklist` app); without it nothing is written for tokens.
   * @default undefined (blacklist off)
   */
  connection?: Connection | undefined;
  /**
   * Options of the MongoDB token store, or a custom `TokenStore`. Its `operationTimeoutMs` also bounds
   * every user lookup (login, refresh, header authentication): past it they fail with TOKEN_STORE_UNAVAILABLE.
   * @default MongoDB store on `connection`
   */
  tokenStore?: MongoTokenStoreOptions | TokenStore;
  /**
   * Where token families (sessions) live: a custom store, or `false` for none.
   * @default the MongoDB family store on `connection` (collection `familyCollection` of `tokenStore`), when the token store is the MongoDB one
   */
  familyStore?: TokenFamilyStore | false;
  /** Any mongoose user model; its documents become `ctx.user`. Omit it (and `users`) for stateless services. */
  // biome-ignore lint/suspicious/noExplicitAny: mongoose's own default type parameters; User is inferred from the last one.
  userModel?: Model<any, any, any, any, User>;
  /**
   * Field names of `userModel` other than `userIdField` and `usernameField` (those are settings).
   * @default `isActive` and `password`; `lastLogin` when the schema has it or `updateLastLogin` is on
   */
  userFields?: Pick<MongooseUserAdapterOptions, 'isActiveField' | 'passwordField' | 'lastLoginField'>;
  /** A custom user store instead of `userModel`. */
  users?: UserAdapter<User>;
  /** A custom credential check (e.g. LDAP); must hash once on every branch. @default scrypt/Django-pbkdf2 check against `userModel` */
  authenticate?: AuthenticateUser<User>;
  /** Password hasher for the default `authenticate`. @default createScryptPasswordHasher() */
  passwordHasher?: PasswordHasher;
  /** Adds custom claims to new refresh and sliding tokens (copied into access tokens). */
  getToken?: GetTokenHook<User>;
  /** `'stateless'` authenticates from claims only (`ctx.user` stays null). @default 'database' with a user model, else 'stateless' */
  userLookup?: 'database' | 'stateless';
  /** Builds `ctx.tokenUser`. @default TokenUser */
  tokenUserClass?: TokenUserClass;
  /**
   * Most access tokens kept already validated, so a client sending the same token again skips the
   * signature check (until the token's `exp`; least recently used dropped first). Only access tokens:
   * refresh and sliding tokens are always verified and looked up in the blacklist; in database mode
   * the user is still loaded and checked on every request. A cached token object is shared by the
   * requests that send it, so its payload is frozen. About 1.2 KB per entry (12 MB when full at the
   * default). `0` turns the cache off: do so when resolvers change `ctx.token`'s claims, or when
   * every request carries a different token (nothing to hit, one SHA-256 per request for nothing).
   * @default 10000
   */
  accessTokenCacheSize?: number;
  /**
   * Tuning of the `jwkUrl` client: how long a fetched key is trusted (`cacheMaxAgeMs`), how many
   * requests per minute an unknown `kid` may cause (`requestsPerMinute`), the request timeout.
   * @default { cacheMaxAgeMs: 600000, cacheMaxEntries: 16, requestsPerMinute: 10, timeoutMs: 5000 }
   */
  jwksClient?: JwksOptions;
  /** The clock; tests pass a fixed one. @default () => new Date() */
  now?: Clock;
  /** Where warnings go. @default console.warn */
  warn?: (message: string) => void;
  /**
   * Browser clients: the refresh token travels in an HttpOnly cookie set by the login mutations and
   * read by tokenRefresh, tokenRefreshSliding and tokenBlacklist when their argument is left out.
   * Needs `jwt.yogaPlugin` (Yoga) or `jwt.apolloPlugin` (Apollo Server) and the server's CSRF
   * prevention (see the README's "Browser clients"). `true` takes every default.
   * @default undefined (off: the schema and every mutation as without it)
   */
  refreshCookie?: RefreshCookieOptions | boolean | undefined;
}

/** One configured Simple JWT: settings, token backend, token store, token classes and the services. */
export interface SimpleJwt<User extends object> {
  readonly settings: ResolvedSettings;
  readonly backend: TokenBackend;
  /** `null` when the blacklist is off. */
  readonly store: TokenStore | null;
  /** Token classes bound to this instance: `await jwt.tokens.RefreshToken.forUser(user)`. */
  readonly tokens: BoundTokenClasses;
  readonly users: UserAdapter<User> | null;
  readonly passwordHasher: PasswordHasher;
  /** `null` when token families are not recorded. */
  readonly families: TokenFamilyStore | null;
  /** Logs in; `login` says where from (for `loginThrottle`; the token mutations pass their context) and the User-Agent its session records. */
  obtainTokenPair(credentials: Credentials, login?: LoginOptions): Promise<TokenPair>;
  obtainSlidingToken(credentials: Credentials, login?: LoginOptions): Promise<{ token: string }>;
  refreshToken(refresh: string): Promise<RefreshResult>;
  refreshSlidingToken(token: string): Promise<{ token: string }>;
  verifyToken(token: string): Promise<{ valid: true }>;
  blacklistToken(refresh: string): Promise<{ blacklisted: boolean }>;
  /** Authenticates one request (header or graphql-ws `connectionParams`). */
  authenticate(input: AuthenticateRequestInput): Promise<AuthenticationResult<User>>;
  /**
   * graphql-yoga `context` option: `createYoga({ schema, context: jwt.yogaContext })`. Returns the
   * context itself, not a promise, when no I/O was needed (stateless mode, a verified token).
   */
  readonly yogaContext: (initial: YogaInitialContext) => MaybePromise<AuthenticationResult<User>>;
  /** Apollo Server `context` option of `startStandaloneServer` / `expressMiddleware`. */
  readonly apolloContext: (initial: ApolloInitialContext) => Promise<AuthenticationResult<User>>;
  /**
   * Deletes expired outstanding and blacklisted records (also the `flush-expired-tokens` command),
   * and with `loginThrottle` the expired login-attempt counters (`loginAttempts` in the result).
   */
  flushExpiredTokens(): Promise<FlushResult>;
  /** Blacklists every unexpired refresh/sliding token of a user ("log out everywhere"). */
  blacklistAllTokensOf(user: User): Promise<number>;
  /**
   * The public JWK Set to serve at `/.well-known/jwks.json`: the asymmetric keys of `signingKeys` and
   * `retiredKeys` (or of `signingKey`), each with `kid`, `alg` and `use: 'sig'`. Empty for HMAC.
   */
  jwks(): JsonWebKeySet;
  /**
   * The user's live sessions (token families), most recently used first; `currentToken` marks its
   * own. `user` is a user document or a user id.
   */
  sessionsOf(user: User | string, currentToken?: TokenInstance | null): Promise<TokenSession[]>;
  /**
   * Revokes one session by family id (for admins; `user` restricts it to that user's sessions).
   * @returns 1 when revoked, 0 when unknown, another user's, or revoked already.
   */
  revokeSession(
    familyId: string,
    options?: { user?: User | string | undefined; reason?: FamilyRevokeReason | undefined },
  ): Promise<number>;
  /**
   * Revokes every session of `user`, blacklists their outstanding tokens and, given a user document
   * whose model has `tokensValidAfterField`, refuses every token issued before now: logout
   * everywhere, or after a password change. @default reason 'logout-all'
   * @returns how many sessions it revoked.
   */
  revokeAllSessionsOf(user: User | string, reason?: FamilyRevokeReason): Promise<number>;
  /** The refresh cookie (option `refreshCookie`), or `null` when it is off. */
  readonly refreshCookie: RefreshCookieTransport | null;
  /** graphql-yoga plugin writing the refresh cookie: `createYoga({ plugins: [jwt.yogaPlugin] })`. Empty when the cookie is off. */
  readonly yogaPlugin: YogaResponsePlugin;
  /** Apollo Server plugin writing the refresh cookie: `new ApolloServer({ plugins: [jwt.apolloPlugin] })`. Empty when the cookie is off. */
  readonly apolloPlugin: ApolloResponsePlugin;
}

/**
 * What Yoga passes to its context factory: `request` over HTTP; over graphql-ws (Yoga's documented
 * `yoga.getEnveloped({ ...ctx, req, socket, params })` wiring) `connectionParams` and no `request`.
 */
export interface YogaInitialContext {
  readonly request?:
    | {
        readonly method?: string;
        readonly url?: string;
        readonly headers: { get(name: string): string | null };
      }
    | undefined;
  readonly connectionParams?: Readonly<Record<string, unknown>> | undefined;
}

/** What Apollo passes: Node's `req` (standalone and express) with lower-case header names. */
export interface ApolloInitialContext {
  readonly req: {
    readonly method?: string | undefined;
    readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
    /** The TCP peer, kept on the context for `loginThrottle`'s default client address. */
    readonly socket?: { readonly remoteAddress?: string | undefined } | undefined;
  };
}

function storeFrom(
  options: Pick<CreateSimpleJwtOptions<object>, 'tokenStore' | 'connection'>,
): TokenStore | null {
  const custom = options.tokenStore;
  if (custom && 'isBlacklisted' in custom) return custom;
  return options.connection ? createMongoTokenStore(options.connection, custom) : null;
}

/** The bound on user-store calls: the MongoDB token store's `operationTimeoutMs` (default 5 s). */
function userStoreTimeoutOf(tokenStore: CreateSimpleJwtOptions<object>['tokenStore']): number {
  const options = tokenStore && !('isBlacklisted' in tokenStore) ? tokenStore : {};
  return resolveMongoTokenStoreOptions(options).operationTimeoutMs;
}

/** Sets `WWW-Authenticate` from the first `authHeaderTypes` entry on every 401 (Simple JWT does). */
function withChallenge(error: unknown, settings: ResolvedSettings): unknown {
  if (!(error instanceof SimpleJwtError)) return error;
  const http = error.extensions['http'] as { status: number; headers?: unknown } | undefined;
  if (http?.status === 401) http.headers = challengeHeaders(settings.authHeaderTypes[0]);
  return error;
}

/** Creates a `SimpleJwt`: settings and keys are validated here, so a bad configuration fails at start-up. */
export function createSimpleJwt<User extends object>(options: CreateSimpleJwtOptions<User>): SimpleJwt<User> {
  const settings = resolveSettings(options.settings);
  const now = options.now ?? systemClock;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const backend = createTokenBackend(settings, now, options.jwksClient ? { jwks: options.jwksClient } : {});
  const store = storeFrom(options);
  const families = familiesFrom(options, settings, store);
  const reuseDetection = reuseDetectionOf(settings, families);
  const passwordHasher = options.passwordHasher ?? createScryptPasswordHasher();
  const modelAdapter: MongooseUserAdapter<User> | null = options.userModel
    ? createMongooseUserAdapter(options.userModel, {
        // A model without `lastLogin` is fine unless `updateLastLogin` needs the field.
        ...(settings.updateLastLogin || options.userModel.schema.path('lastLogin')
          ? {}
          : { lastLoginField: null }),
        ...options.userFields,
        userIdField: settings.userIdField,
        usernameField: settings.usernameField,
        tokensValidAfterField: settings.tokensValidAfterField,
      })
    : null;
  // User lookups get the token store's deadline: a hung database fails closed (503) in bounded time.
  const userStoreTimeoutMs = userStoreTimeoutOf(options.tokenStore);
  const customOrModelUsers = options.users ?? modelAdapter;
  const users: UserAdapter<User> | null =
    customOrModelUsers && withUserStoreDeadline(customOrModelUsers, userStoreTimeoutMs);
  const authenticateUser =
    options.authenticate ??
    (modelAdapter
      ? createAuthenticator({
          findByUsername: (username) =>
            withinDeadline(userStoreTimeoutMs, () => modelAdapter.findByUsername(username)),
          passwordHashOf: (user) => modelAdapter.passwordHashOf(user),
          hasher: passwordHasher,
          usernameField: settings.usernameField,
        })
      : null);
  const revokeHashOf = createRevokeHasher(settings);
  const fallbackUsers = {
    idOf: (user: object) => String((user as { id?: unknown }).id),
    isActive: () => true,
    passwordHashOf: () => undefined,
  };
  const tokens = bindTokenClasses({
    settings,
    backend,
    store,
    families,
    now,
    users: (users as UserAdapter<object> | null) ?? fallbackUsers,
    revokeHashOf,
    warn,
  });
  if (settings.loginThrottle && !options.connection) {
    throw new ImproperlyConfiguredError(
      'loginThrottle',
      'needs the `connection` option: the counters live in MongoDB',
    );
  }
  const loginThrottle =
    settings.loginThrottle && options.connection
      ? createLoginThrottle(options.connection, settings, now, userStoreTimeoutMs)
      : null;
  const services: ServiceContext<User> = {
    settings,
    tokens,
    store,
    families,
    reuseDetection,
    users,
    authenticateUser,
    getToken: options.getToken,
    now,
    revokeHashOf,
    loginThrottle,
  };
  const TokenUserClass = options.tokenUserClass ?? TokenUser;
  const lookup = options.userLookup ?? (users ? 'database' : 'stateless');
  const authentication = {
    settings,
    tokens,
    users: lookup === 'database' ? users : null,
    families: lookup === 'database' ? families : null,
    createTokenUser: (token: TokenInstance) => new TokenUserClass(token, settings),
    revokeHashOf,
    verifiedTokens:
      (options.accessTokenCacheSize ?? defaultAccessTokenCacheSize) === 0
        ? null
        : createVerifiedTokenCache({
            maxEntries: options.accessTokenCacheSize ?? defaultAccessTokenCacheSize,
            now,
          }),
  };
  const challenge = <T>(promise: Promise<T>) =>
    promise.catch((error: unknown) => Promise.reject(withChallenge(error, settings)));
  // The result itself when authenticating needed no I/O: no promise beyond the one the server awaits.
  const authenticateMaybeSync = (
    input: AuthenticateRequestInput,
  ): MaybePromise<AuthenticationResult<User>> => {
    try {
      const result = authenticateRequest(authentication, input);
      return result instanceof Promise ? challenge(result) : result;
    } catch (error) {
      return Promise.reject(withChallenge(error, settings));
    }
  };
  const authenticate = (input: AuthenticateRequestInput) => Promise.resolve(authenticateMaybeSync(input));
  const sessions: SessionContext<User> = { settings, store, families, users, now };
  const userIdOf = (user: User | string) => {
    if (typeof user === 'string') return user;
    if (!users) throw new Error('session functions need a user model or a users adapter');
    return users.idOf(user);
  };
  const headerOf = (value: string | readonly string[] | undefined) =>
    typeof value === 'string' ? value : value?.[0];
  const yogaContext = ({ request, connectionParams }: YogaInitialContext) =>
    authenticateMaybeSync({ authorization: request?.headers.get(settings.authHeaderName), connectionParams });
  const apolloContext = async ({ req }: ApolloInitialContext) => {
    const result = await authenticate({ authorization: headerOf(req.headers[settings.authHeaderName]) });
    return loginThrottle ? { ...result, [peerAddressKey]: req.socket?.remoteAddress } : result;
  };
  const refreshCookie = options.refreshCookie
    ? createRefreshCookieTransport(resolveRefreshCookieOptions(options.refreshCookie, warn), now)
    : null;

  return Object.freeze({
    settings,
    backend,
    store,
    families,
    tokens,
    users,
    passwordHasher,
    obtainTokenPair: (credentials: Credentials, login?: LoginOptions) =>
      challenge(obtainTokenPair(services, credentials, login)),
    obtainSlidingToken: (credentials: Credentials, login?: LoginOptions) =>
      challenge(obtainSlidingToken(services, credentials, login)),
    refreshToken: (refresh: string) => challenge(refreshAccessToken(services, refresh)),
    refreshSlidingToken: (token: string) => challenge(refreshSlidingToken(services, token)),
    verifyToken: (token: string) => challenge(verifyToken(services, token)),
    blacklistToken: (refresh: string) => challenge(blacklistToken(services, refresh)),
    authenticate,
    yogaContext: refreshCookie
      ? async (initial: YogaInitialContext) => ({
          ...(await yogaContext(initial)),
          [refreshCookieJarKey]: refreshCookie.yogaJar(initial.request),
        })
      : yogaContext,
    apolloContext: refreshCookie
      ? async (initial: ApolloInitialContext) => ({
          ...(await apolloContext(initial)),
          [refreshCookieJarKey]: refreshCookie.apolloJar(initial.req),
        })
      : apolloContext,
    flushExpiredTokens: async () => {
      const at = now();
      const tokens = store ? await store.flushExpired(at) : { outstanding: 0, blacklisted: 0 };
      const withFamilies = families
        ? { ...tokens, families: await families.flushExpiredFamilies(at) }
        : tokens;
      return loginThrottle
        ? { ...withFamilies, loginAttempts: await loginThrottle.flushExpired(at) }
        : withFamilies;
    },
    blacklistAllTokensOf: async (user: User) =>
      store && users ? store.blacklistAllForUser(users.idOf(user), now()) : 0,
    jwks: () => backend.jwks?.() ?? { keys: [] },
    sessionsOf: (user: User | string, currentToken?: TokenInstance | null) =>
      listSessions(sessions, userIdOf(user), currentToken ?? null),
    revokeSession: (
      familyId: string,
      revoke: { user?: User | undefined; reason?: FamilyRevokeReason | undefined } = {},
    ) =>
      revokeSession(sessions, familyId, {
        userId: revoke.user === undefined ? undefined : userIdOf(revoke.user),
        ...(revoke.reason ? { reason: revoke.reason } : {}),
      }),
    revokeAllSessionsOf: (user: User | string, reason?: FamilyRevokeReason) =>
      revokeAllSessionsOf(sessions, userIdOf(user), typeof user === 'string' ? null : user, reason),
    refreshCookie,
    yogaPlugin: refreshCookie?.yogaPlugin ?? {},
    apolloPlugin: refreshCookie?.apolloPlugin ?? {},
  });
}
