import { createHmac, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { type ClaimRules, checkRegisteredClaims } from './claim-checks.js';
import type { JwsSigner } from './jws-signer.js';
import { TokenBackendError } from './token-backend.js';

/** The HMAC algorithms and the hash each one runs. */
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

const hashOf: Readonly<Record<HmacAlgorithm, string>> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/**
 * HS256/384/512: signing through jsonwebtoken (as for every other algorithm), verification with
 * node:crypto over the segments the backend already parsed. jsonwebtoken's `verify` would split,
 * decode and parse the token a second time and build a signer per call, which cost more than the
 * HMAC itself. The checks are the same: the header already named exactly this algorithm
 * (`checkHeader`), the key is a secret (never a public key: the algorithm-confusion attack), the
 * decoded signature must equal the HMAC in constant time (the parser has made sure it is canonical
 * base64url, so one signature has one spelling), then `nbf`, `exp`, `aud` and `iss` with
 * jsonwebtoken's semantics, after the signature so that only an authentic token is reported expired.
 */
export function createHmacSigner(algorithm: HmacAlgorithm, rules: ClaimRules): JwsSigner {
  const hash = hashOf[algorithm];
  const signOptions: jwt.SignOptions = { algorithm, header: { alg: algorithm, typ: 'JWT' } };
  return {
    // A string payload is signed as given (no `iat` from the real clock, claim order kept).
    sign: (claimsJson, key) => jwt.sign(claimsJson, key, signOptions),
    verify(_token, jws, key, nowSeconds) {
      if (key.type !== 'secret') throw new TokenBackendError(`${algorithm} needs a secret key`);
      const expected = createHmac(hash, key).update(jws.signingInput).digest();
      // The length check first: timingSafeEqual throws on unequal lengths, and a length is no secret.
      if (expected.length !== jws.signature.length || !timingSafeEqual(expected, jws.signature)) {
        throw new TokenBackendError('invalid signature');
      }
      checkRegisteredClaims(jws.payload, nowSeconds, rules);
    },
  };
}

/** Whether `algorithm` is verified by `createHmacSigner`. */
export function isHmacAlgorithm(algorithm: string): algorithm is HmacAlgorithm {
  return Object.hasOwn(hashOf, algorithm);
}
