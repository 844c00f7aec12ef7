import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Algorithm } from '../settings.js';
import { type ClaimRules, checkRegisteredClaims } from './claim-checks.js';
import type { CompactJws } from './compact-jws.js';
import { TokenBackendError, TokenBackendExpiredError } from './token-backend.js';

/** Signs and verifies compact JWS for one algorithm; claim checks beyond `checkClaimFormats` included. */
export interface JwsSigner {
  /** A compact JWS with header `{"alg","typ":"JWT"}` over `claimsJson`, exactly as given. */
  sign(claimsJson: string, key: KeyObject): string;
  /**
   * Verifies the signature, then `nbf`, `exp` (leeway), `aud` and `iss`.
   * @throws TokenBackendExpiredError when expired, TokenBackendError otherwise.
   */
  verify(token: string, jws: CompactJws, key: KeyObject, nowSeconds: number): void;
}

/**
 * RS*, ES*, PS* through jsonwebtoken, with a one-algorithm allow-list on every verify. (It handles HS*
 * too; the backend verifies those with `createHmacSigner` instead.)
 */
export function createJsonwebtokenSigner(
  algorithm: Exclude<Algorithm, 'EdDSA'>,
  rules: ClaimRules,
): JwsSigner {
  const signOptions: jwt.SignOptions = { algorithm, header: { alg: algorithm, typ: 'JWT' } };
  const audience = rules.audience ? ([...rules.audience] as [string, ...string[]]) : undefined;
  const verifyOptions: jwt.VerifyOptions = {
    algorithms: [algorithm],
    clockTolerance: rules.leeway,
    audience,
    issuer: rules.issuer,
  };
  return {
    // A string payload is signed as given: jsonwebtoken adds no `iat` (it would, from the real clock,
    // to an object payload) and our claim order and claimsReplacer output are kept byte for byte.
    sign: (claimsJson, key) => jwt.sign(claimsJson, key, signOptions),
    verify(token, _jws, key, nowSeconds) {
      try {
        jwt.verify(token, key, { ...verifyOptions, clockTimestamp: nowSeconds });
      } catch (error) {
        if (error instanceof jwt.TokenExpiredError) {
          throw new TokenBackendExpiredError('Token is expired', { cause: error });
        }
        throw new TokenBackendError((error as Error).message, { cause: error });
      }
    },
  };
}

/** EdDSA (Ed25519/Ed448), which jsonwebtoken 9 lacks: compact JWS with node:crypto, same claim checks. */
export function createEddsaSigner(rules: ClaimRules): JwsSigner {
  const encodedHeader = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' })).toString('base64url');
  return {
    sign(claimsJson, key) {
      const signingInput = `${encodedHeader}.${Buffer.from(claimsJson).toString('base64url')}`;
      return `${signingInput}.${cryptoSign(null, Buffer.from(signingInput), key).toString('base64url')}`;
    },
    verify(_token, jws, key, nowSeconds) {
      if (!cryptoVerify(null, Buffer.from(jws.signingInput), key, jws.signature)) {
        throw new TokenBackendError('invalid signature');
      }
      checkRegisteredClaims(jws.payload, nowSeconds, rules);
    },
  };
}
