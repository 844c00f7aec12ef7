import { type ASTNode, GraphQLError, type GraphQLErrorExtensions } from 'graphql';

/** Every `extensions.code` this package produces: a closed, stable set (see the README's error table). */
export type SimpleJwtErrorCode =
  | 'TOKEN_NOT_VALID'
  | 'BAD_AUTHORIZATION_HEADER'
  | 'NO_ACTIVE_ACCOUNT'
  | 'USER_NOT_FOUND'
  | 'USER_INACTIVE'
  | 'PASSWORD_CHANGED'
  | 'UNAUTHENTICATED'
  | 'BAD_USER_INPUT'
  | 'TOKEN_STORE_UNAVAILABLE'
  | 'TOO_MANY_ATTEMPTS';

const httpStatusOf: Record<SimpleJwtErrorCode, number> = {
  TOKEN_NOT_VALID: 401,
  BAD_AUTHORIZATION_HEADER: 401,
  NO_ACTIVE_ACCOUNT: 401,
  USER_NOT_FOUND: 401,
  USER_INACTIVE: 401,
  PASSWORD_CHANGED: 401,
  UNAUTHENTICATED: 401,
  BAD_USER_INPUT: 400,
  TOKEN_STORE_UNAVAILABLE: 503,
  TOO_MANY_ATTEMPTS: 429,
};

/**
 * Response headers on `extensions.http.headers` that both servers read: Apollo Server accepts only a
 * `Map`, graphql-yoga iterates plain properties, so this is a `Map` that also has its entries as properties.
 */
export class ErrorResponseHeaders extends Map<string, string> {
  constructor(headers: Record<string, string>) {
    super(Object.entries(headers));
    Object.assign(this, headers);
  }

  toJSON(): Record<string, string> {
    return Object.fromEntries(this);
  }
}

/** The challenge Simple JWT sends with every 401: `<first auth header type> realm="api"`. */
export function challengeHeaders(headerType = 'Bearer'): ErrorResponseHeaders {
  return new ErrorResponseHeaders({ 'WWW-Authenticate': `${headerType} realm="api"` });
}

/** One entry per token class tried during header authentication (Simple JWT's `messages`). */
export interface TokenErrorMessage {
  tokenClass: string;
  tokenType: string | null;
  message: string;
}

export interface SimpleJwtErrorOptions {
  /** Kept for server logs; never serialised into a response. */
  cause?: unknown;
  /** Extra extensions, e.g. `messages` for header authentication. */
  extensions?: Record<string, unknown>;
  /** The field the error belongs to, for an error thrown by a resolver (so it arrives located). */
  nodes?: readonly ASTNode[];
  /** The response path of that field (`responsePathAsArray(info.path)`). */
  path?: readonly (string | number)[];
}

/**
 * Base of every error this package throws at clients: a `GraphQLError` with a stable
 * `extensions.code` and `extensions.http.status`. The message is Simple JWT's English text.
 * Built without a stack trace: it is an answer to a client, not a fault, and capturing (and, once
 * wrapped, formatting) a stack cost more than the rest of a rejected request; `cause` keeps the
 * stack of any underlying failure.
 */
export class SimpleJwtError extends GraphQLError {
  readonly code: SimpleJwtErrorCode;

  constructor(code: SimpleJwtErrorCode, message: string, options: SimpleJwtErrorOptions = {}) {
    const status = httpStatusOf[code];
    const headers = status === 401 ? challengeHeaders() : undefined;
    const http = headers ? { status, headers } : { status };
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      // Cast: graphql-yoga types `http.headers` as a plain record; ours is also a Map for Apollo.
      super(message, {
        extensions: { ...options.extensions, code, http } as GraphQLErrorExtensions,
        ...(options.nodes ? { nodes: options.nodes } : {}),
        ...(options.path ? { path: options.path } : {}),
      });
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.name = new.target.name;
    this.code = code;
    // `cause` stays off the serialised error (GraphQLError.toJSON only sends message, locations, path, extensions).
    if (options.cause !== undefined)
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false });
  }
}

/** A token that failed parsing or verification ("Token is invalid", "Token has wrong type", ...). */
export class TokenError extends SimpleJwtError {
  constructor(message: string, options: SimpleJwtErrorOptions = {}) {
    super('TOKEN_NOT_VALID', message, options);
  }
}

/** The token's `exp` has passed ("Token is expired"). */
export class ExpiredTokenError extends TokenError {}

/**
 * Header authentication found a token but none of `authTokenClasses` accepted it, or it named no user:
 * "Given token not valid for any token type" with one `messages` entry per class tried.
 */
export class InvalidTokenError extends TokenError {
  readonly messages: readonly TokenErrorMessage[] | undefined;

  constructor(message: string, messages?: readonly TokenErrorMessage[], options: SimpleJwtErrorOptions = {}) {
    super(message, messages ? { ...options, extensions: { ...options.extensions, messages } } : options);
    this.messages = messages;
  }
}

/** Authentication failed for a reason other than the token itself (user missing, inactive, ...). */
export class AuthenticationFailedError extends SimpleJwtError {}

/** The token store (MongoDB) could not be reached: fail closed. */
export class TokenStoreUnavailableError extends SimpleJwtError {
  constructor(options: SimpleJwtErrorOptions = {}) {
    super('TOKEN_STORE_UNAVAILABLE', 'The token store is unavailable. Try again later.', options);
  }
}

/**
 * Login throttling refused the attempt before any credential check: HTTP 429 with `Retry-After`
 * (whole seconds), also in `extensions.retryAfter` for clients that see no headers (graphql-ws).
 */
export class TooManyAttemptsError extends SimpleJwtError {
  readonly retryAfter: number;

  constructor(retryAfter: number, options: SimpleJwtErrorOptions = {}) {
    super('TOO_MANY_ATTEMPTS', messages.tooManyAttempts, {
      ...options,
      extensions: { ...options.extensions, retryAfter },
    });
    this.retryAfter = retryAfter;
    const http = this.extensions['http'] as { headers?: ErrorResponseHeaders };
    http.headers = new ErrorResponseHeaders({ 'Retry-After': String(retryAfter) });
  }
}

/** A configuration problem found when an instance is created: names the setting at fault. */
export class ImproperlyConfiguredError extends Error {
  readonly setting: string;

  constructor(setting: string, problem: string) {
    super(`Simple JWT setting '${setting}': ${problem}`);
    this.name = 'ImproperlyConfiguredError';
    this.setting = setting;
  }
}

/** Simple JWT's exact user-facing strings. */
export const messages = {
  tokenInvalid: 'Token is invalid',
  tokenExpired: 'Token is expired',
  tokenBlacklisted: 'Token is blacklisted',
  tokenHasNoId: 'Token has no id',
  tokenHasNoType: 'Token has no type',
  tokenHasWrongType: 'Token has wrong type',
  tokenHasNoClaim: (claim: string) => `Token has no '${claim}' claim`,
  tokenClaimExpired: (claim: string) => `Token '${claim}' claim has expired`,
  cannotCreateToken: 'Cannot create token with no type or lifetime',
  notValidForAnyType: 'Given token not valid for any token type',
  noRecognizableUser: 'Token contained no recognizable user identification',
  badAuthorizationHeader: 'Authorization header must contain two space-delimited values',
  userNotFound: 'User not found',
  userInactive: 'User is inactive',
  passwordChanged: "The user's password has been changed.",
  noActiveAccount: 'No active account found with the given credentials',
  noActiveAccountForToken: 'No active account found for the given token.',
  authenticationRequired: 'Authentication credentials were not provided.',
  tooManyAttempts: 'Too many failed login attempts. Try again later.',
} as const;
