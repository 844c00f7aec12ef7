import type { Clock } from '../clock.js';
import { ImproperlyConfiguredError } from '../errors.js';
import { prepareKeyRing } from '../keys/key-ring.js';
import { publicKeySet } from '../keys/public-key-set.js';
import type { ResolvedSettings } from '../settings.js';
import { type ClaimRules, checkClaimFormats, checkHeader } from './claim-checks.js';
import { type CompactJws, createCompactJwsParser } from './compact-jws.js';
import { createHmacSigner, isHmacAlgorithm } from './hmac-signer.js';
import { createJwksKeyResolver, type JwksKeyResolver, type JwksOptions } from './jwks-keys.js';
import { createEddsaSigner, createJsonwebtokenSigner, type JwsSigner } from './jws-signer.js';
import { prepareKeyMaterial } from './key-material.js';
import { type TokenBackend, TokenBackendError, type TokenPayload } from './token-backend.js';

/** Options of `createTokenBackend` beyond settings. */
export interface TokenBackendOptions {
  /** Tuning of the `jwkUrl` client. */
  readonly jwks?: JwksOptions;
}

/**
 * Builds the token backend for `settings` (Simple JWT's TokenBackend): keys parsed and checked, claim
 * rules, signer and JWKS client prepared here, once, so that encode/decode do no configuration work.
 * `now` is the clock every time check reads.
 * @throws ImproperlyConfiguredError for an unknown algorithm or unusable key material.
 */
export function createTokenBackend(
  settings: ResolvedSettings,
  now: Clock,
  options: TokenBackendOptions = {},
): TokenBackend {
  // With `signingKeys`, a key ring: kid in every header, the key picked by kid on verification.
  const ring = prepareKeyRing(settings);
  const keys = ring?.keys ?? prepareKeyMaterial(settings);
  const jwksDocument = ring?.jwks ?? publicKeySet(keys);
  const { algorithm, signingKey } = keys;
  const rules: ClaimRules = Object.freeze({
    leeway: settings.leeway,
    audience: settings.audience === undefined ? undefined : [settings.audience].flat(),
    issuer: settings.issuer,
    idClaims: [...new Set(['jti', settings.jtiClaim ?? 'jti'])],
  });
  const signer: JwsSigner =
    algorithm === 'EdDSA'
      ? createEddsaSigner(rules)
      : isHmacAlgorithm(algorithm)
        ? createHmacSigner(algorithm, rules)
        : createJsonwebtokenSigner(algorithm, rules);
  const jwks: JwksKeyResolver | undefined =
    keys.jwkUrl === undefined ? undefined : createJwksKeyResolver(keys.jwkUrl, algorithm, now, options.jwks);
  const serializeClaims = createClaimsSerializer(settings);
  const parseCompactJws = createCompactJwsParser(settings.maxTokenLength);

  /** The cheap checks, before any key lookup or signature work; returns "now" for the rest. */
  function checkBeforeSignature(jws: CompactJws): number {
    checkHeader(jws.header, algorithm);
    const nowSeconds = now().getTime() / 1000;
    checkClaimFormats(jws.payload, nowSeconds, rules);
    return nowSeconds;
  }

  return Object.freeze({
    algorithm,
    jwks: () => jwksDocument,
    encode(payload: Readonly<TokenPayload>): string {
      if (signingKey === undefined) {
        throw new ImproperlyConfiguredError(
          'signingKey',
          'this service has no signing key (it only verifies tokens), so it cannot issue them',
        );
      }
      const claimsJson = serializeClaims(payload);
      return ring ? ring.sign(claimsJson) : signer.sign(claimsJson, signingKey);
    },
    decodeSync(token: string, { verify = true }: { verify?: boolean } = {}): TokenPayload | undefined {
      try {
        const jws = parseCompactJws(token);
        if (!verify) return jws.payload;
        const nowSeconds = checkBeforeSignature(jws);
        const key = jwks
          ? jwks.cached(kidOf(jws))
          : ring
            ? ring.verifyingKeyFor(kidOf(jws))
            : keys.verifyingKey;
        if (key === undefined) return undefined;
        signer.verify(token, jws, key, nowSeconds);
        // Our own parse, not jsonwebtoken's: the same bytes, with null prototypes.
        return jws.payload;
      } catch (error) {
        throw asBackendError(error);
      }
    },
    async decode(token: string, { verify = true }: { verify?: boolean } = {}): Promise<TokenPayload> {
      try {
        const jws = parseCompactJws(token);
        if (!verify) return jws.payload;
        const nowSeconds = checkBeforeSignature(jws);
        const key = jwks
          ? await jwks.fetch(kidOf(jws))
          : ring
            ? ring.verifyingKeyFor(kidOf(jws))
            : keys.verifyingKey;
        if (key === undefined) throw new TokenBackendError('No verifying key');
        signer.verify(token, jws, key, nowSeconds);
        return jws.payload;
      } catch (error) {
        throw asBackendError(error);
      }
    },
  });
}

/** `checkHeader` has made sure a present `kid` is a string. */
function kidOf(jws: CompactJws): string | undefined {
  return jws.header['kid'] as string | undefined;
}

/** Never let a library error escape decode: anything unexpected is just an invalid token. */
function asBackendError(error: unknown): TokenBackendError {
  return error instanceof TokenBackendError
    ? error
    : new TokenBackendError('Token is invalid', { cause: error });
}

/**
 * Claims as signed JSON: a copy of the payload (never mutated) with `aud`/`iss` from settings set
 * (overwriting, in place when already present, like PyJWT), serialised with `claimsReplacer`.
 */
function createClaimsSerializer(settings: ResolvedSettings): (payload: Readonly<TokenPayload>) => string {
  const { audience, issuer, claimsReplacer } = settings;
  return (payload) => {
    const claims: TokenPayload = { ...payload };
    if (audience !== undefined) claims['aud'] = audience;
    if (issuer !== undefined) claims['iss'] = issuer;
    const json: unknown = JSON.stringify(claims, claimsReplacer);
    if (typeof json !== 'string' || !json.startsWith('{')) {
      throw new TypeError('Token claims must serialise to a JSON object (check claimsReplacer)');
    }
    return json;
  };
}
