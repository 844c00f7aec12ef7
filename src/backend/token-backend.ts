import type { JsonWebKeySet } from '../keys/public-jwk.js';

/** A JSON object payload: claims by name. Null-prototype objects are used throughout. */
export type TokenPayload = Record<string, unknown>;

/**
 * Signs and verifies JWTs with the one configured algorithm (Simple JWT's TokenBackend).
 * Built once per `SimpleJwt` instance; key material is prepared at construction.
 */
export interface TokenBackend {
  readonly algorithm: string;
  /** The public JWK Set of the verification keys this backend signs with (empty for HMAC and verify-only backends). */
  jwks?(): JsonWebKeySet;
  /** Signs `payload` (adding `aud`/`iss` from settings) with header `{"alg", "typ": "JWT"}` (plus `kid` with `signingKeys`). */
  encode(payload: Readonly<TokenPayload>): string;
  /**
   * Verifies signature, algorithm, `exp`/`nbf`/`iat` with leeway, audience and issuer, and that the
   * payload is a JSON object; returns the payload as a null-prototype object. With `verify: false` only
   * the structure is decoded. Async because a `jwkUrl` key may need fetching (cached).
   * @throws TokenBackendError / TokenBackendExpiredError
   */
  decode(token: string, options?: { verify?: boolean }): Promise<TokenPayload>;
  /** Synchronous decode for the per-request path; `undefined` when the key must be fetched (jwkUrl). */
  decodeSync?(token: string, options?: { verify?: boolean }): TokenPayload | undefined;
}

/**
 * Any verification failure other than expiry; its message never reaches a client (mapped to "Token is
 * invalid"). A verdict on a token, not a fault: built without a stack trace (a library error it
 * wraps stays its `cause`, with its own).
 */
export class TokenBackendError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message, options);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.name = new.target.name;
  }
}

/** The token's `exp` has passed (mapped to "Token is expired"). */
export class TokenBackendExpiredError extends TokenBackendError {}
