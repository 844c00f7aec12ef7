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
import type { TokenBackend } from './backend/token-backend.js';
import { type Clock, systemClock } from './clock.js';
import { challengeHeaders, SimpleJwtError } from './errors.js';
import { blacklistToken } from './services/blacklist-token.js';
import { obtainSlidingToken } from './services/obtain-sliding-token.js';
import { obtainTokenPair, type TokenPair } from './services/obtain-token-pair.js';
import { refreshSlidingToken } from './services/refresh-sliding-token.js';
import { type RefreshResult, refreshAccessToken } from './services/refresh-token.js';
import type { GetTokenHook, ServiceContext } from './services/service-context.js';
import { verifyToken } from './services/verify-token.js';
import { type ResolvedSettings, resolveSettings, type SimpleJwtSettings } from './settings.js';
import { createMongoTokenStore, type MongoTokenStoreOptions } from './store/mongo-token-store.js';
import { resolveMongoTokenStoreOptions } from './store/mongo-token-store-options.js';
import type { FlushResult, TokenStore } from './store/token-store.js';
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
  /** The clock; tests pass a fixed one. @default () => new Date() */
  now?: Clock;
  /** Where warnings go. @default console.warn */
  warn?: (message: string) => void;
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
  obtainTokenPair(credentials: Credentials): Promise<TokenPair>;
  obtainSlidingToken(credentials: Credentials): Promise<{ token: string }>;
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
  /** Deletes expired outstanding and blacklisted records (also the `flush-expired-tokens` command). */
  flushExpiredTokens(): Promise<FlushResult>;
  /** Blacklists every unexpired refresh/sliding token of a user ("log out everywhere"). */
  blacklistAllTokensOf(user: User): Promise<number>;
}

/**
 * What Yoga passes to its context factory: `request` over HTTP; over graphql-ws (Yoga's documented
 * `yoga.getEnveloped({ ...ctx, req, socket, params })` wiring) `connectionParams` and no `request`.
 */
export interface YogaInitialContext {
  readonly request?: { readonly headers: { get(name: string): string | null } } | undefined;
  readonly connectionParams?: Readonly<Record<string, unknown>> | undefined;
}

/** What Apollo passes: Node's `req` (standalone and express) with lower-case header names. */
export interface ApolloInitialContext {
  readonly req: { readonly headers: Readonly<Record<string, string | readonly string[] | undefined>> };
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
  const backend = createTokenBackend(settings, now);
  const store = storeFrom(options);
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
    now,
    users: (users as UserAdapter<object> | null) ?? fallbackUsers,
    revokeHashOf,
    warn,
  });
  const services: ServiceContext<User> = {
    settings,
    tokens,
    store,
    users,
    authenticateUser,
    getToken: options.getToken,
    now,
    revokeHashOf,
  };
  const TokenUserClass = options.tokenUserClass ?? TokenUser;
  const lookup = options.userLookup ?? (users ? 'database' : 'stateless');
  const authentication = {
    settings,
    tokens,
    users: lookup === 'database' ? users : null,
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
  const headerOf = (value: string | readonly string[] | undefined) =>
    typeof value === 'string' ? value : value?.[0];

  return Object.freeze({
    settings,
    backend,
    store,
    tokens,
    users,
    passwordHasher,
    obtainTokenPair: (credentials: Credentials) => challenge(obtainTokenPair(services, credentials)),
    obtainSlidingToken: (credentials: Credentials) => challenge(obtainSlidingToken(services, credentials)),
    refreshToken: (refresh: string) => challenge(refreshAccessToken(services, refresh)),
    refreshSlidingToken: (token: string) => challenge(refreshSlidingToken(services, token)),
    verifyToken: (token: string) => challenge(verifyToken(services, token)),
    blacklistToken: (refresh: string) => challenge(blacklistToken(services, refresh)),
    authenticate,
    yogaContext: ({ request, connectionParams }: YogaInitialContext) =>
      authenticateMaybeSync({
        authorization: request?.headers.get(settings.authHeaderName),
        connectionParams,
      }),
    apolloContext: ({ req }: ApolloInitialContext) =>
      authenticate({ authorization: headerOf(req.headers[settings.authHeaderName]) }),
    flushExpiredTokens: async () => (store ? store.flushExpired(now()) : { outstanding: 0, blacklisted: 0 }),
    blacklistAllTokensOf: async (user: User) =>
      store && users ? store.blacklistAllForUser(users.idOf(user), now()) : 0,
  });
}
