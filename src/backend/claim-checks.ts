import { TokenBackendError, TokenBackendExpiredError, type TokenPayload } from './token-backend.js';

/** What claim verification needs from settings, prepared once per backend. */
export interface ClaimRules {
  /** Seconds of clock skew tolerated for `exp`, `nbf` and `iat`. */
  readonly leeway: number;
  /** Accepted audiences (any one suffices), or `undefined` to not check `aud`. */
  readonly audience: readonly string[] | undefined;
  /** The required `iss`, or `undefined` to not check it. */
  readonly issuer: string | undefined;
  /** Claims holding a token id: `jti` and the configured `jtiClaim`. */
  readonly idClaims: readonly string[];
}

const timeClaims = ['exp', 'iat', 'nbf'] as const;
const stringClaims = ['sub', 'iss'] as const;

/** Longest accepted token id: what the outstanding-token store indexes (Simple JWT's CharField(255)). */
export const maxJtiLength = 255;

/**
 * The header must name exactly the configured algorithm (so `none`, `None`, HS512 against HS256 and
 * HS256 against an RSA key all fail). `kid` only selects among configured or JWKS keys; `jku`, `x5u` and `jwk`
 * are never read. `crit` lists extensions we do not implement, which RFC 7515 §4.1.11 says to refuse.
 */
export function checkHeader(header: TokenPayload, algorithm: string): void {
  if (header['alg'] !== algorithm) throw new TokenBackendError('Invalid algorithm specified');
  if ('kid' in header && typeof header['kid'] !== 'string') {
    throw new TokenBackendError('Key ID header parameter must be a string');
  }
  if ('crit' in header) throw new TokenBackendError('Token header lists critical extensions');
}

/** The latest (and, negated, earliest) time a `Date` can hold, in seconds (ECMAScript: ±8.64e15 ms). */
export const maxTimeClaimSeconds = 8.64e12;

// Beyond a Date's range an expiry cannot be recorded (the outstanding-token store would refuse it).
function isTimeValue(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= maxTimeClaimSeconds;
}

/**
 * Claim formats jsonwebtoken does not enforce, checked before any signature work (PyJWT's rules):
 * `exp`/`iat`/`nbf` finite numbers within a Date's range (JSON `1e999` parses to Infinity; an `exp`
 * beyond the year 275760 could not be recorded), `iat` not in the future beyond
 * leeway, token ids strings of 1-255 characters, `sub`/`iss` strings, `aud` a string or string list.
 * A missing `exp` is allowed here: the token classes report "Token has no 'exp' claim".
 */
export function checkClaimFormats(payload: TokenPayload, nowSeconds: number, rules: ClaimRules): void {
  for (const claim of timeClaims) {
    if (claim in payload && !isTimeValue(payload[claim])) {
      throw new TokenBackendError(`The '${claim}' claim must be a number of seconds a Date can hold`);
    }
  }
  const issuedAt = payload['iat'];
  if (typeof issuedAt === 'number' && issuedAt > nowSeconds + rules.leeway) {
    throw new TokenBackendError('The token is not yet valid (iat)');
  }
  for (const claim of rules.idClaims) {
    const id = payload[claim];
    if (claim in payload && (typeof id !== 'string' || id.length === 0 || id.length > maxJtiLength)) {
      throw new TokenBackendError(`The '${claim}' claim must be a string of 1 to ${maxJtiLength} characters`);
    }
  }
  for (const claim of stringClaims) {
    if (claim in payload && typeof payload[claim] !== 'string') {
      throw new TokenBackendError(`The '${claim}' claim must be a string`);
    }
  }
  const audience = payload['aud'];
  if (
    'aud' in payload &&
    typeof audience !== 'string' &&
    !(Array.isArray(audience) && audience.every((item) => typeof item === 'string'))
  ) {
    throw new TokenBackendError("The 'aud' claim must be a string or a list of strings");
  }
}

/**
 * `nbf`, `exp`, `aud` and `iss` with jsonwebtoken's semantics (which match PyJWT's), for algorithms
 * jsonwebtoken does not implement (EdDSA). Expired means `now >= exp + leeway`. Run after the
 * signature check, so that only an authentic token is ever reported as expired.
 */
export function checkRegisteredClaims(payload: TokenPayload, nowSeconds: number, rules: ClaimRules): void {
  const notBefore = payload['nbf'];
  if (typeof notBefore === 'number' && notBefore > nowSeconds + rules.leeway) {
    throw new TokenBackendError('The token is not yet valid (nbf)');
  }
  const expiry = payload['exp'];
  if (typeof expiry === 'number' && nowSeconds >= expiry + rules.leeway) {
    throw new TokenBackendExpiredError('Token is expired');
  }
  if (rules.audience !== undefined) {
    const claimed = payload['aud'];
    const audiences: readonly unknown[] = Array.isArray(claimed) ? claimed : [claimed];
    if (!audiences.some((item) => typeof item === 'string' && rules.audience?.includes(item))) {
      throw new TokenBackendError('Invalid audience');
    }
  }
  if (rules.issuer !== undefined && payload['iss'] !== rules.issuer) {
    throw new TokenBackendError('Invalid issuer');
  }
}
