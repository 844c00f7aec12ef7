import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';
import {
  type ClaimRules,
  checkClaimFormats,
  checkHeader,
  checkRegisteredClaims,
} from '../../src/backend/claim-checks.js';
import { parseCompactJws } from '../../src/backend/compact-jws.js';
import type { TokenPayload } from '../../src/backend/token-backend.js';

/**
 * What `decodeSync` would cost for HS256 if the signature were checked with node:crypto over the
 * token we already parsed, instead of handing the token to jsonwebtoken (which splits, decodes and
 * parses it a second time, and builds a signer per call): the same structure and claim checks as the
 * backend, only the HMAC path differs. Not used by the package; it measures the headroom.
 */
export function hmacPrototypeVerifier(key: KeyObject, maxTokenLength: number) {
  const rules: ClaimRules = { leeway: 0, audience: undefined, issuer: undefined, idClaims: ['jti'] };
  return (token: string): TokenPayload => {
    const jws = parseCompactJws(token, maxTokenLength);
    checkHeader(jws.header, 'HS256');
    const nowSeconds = Date.now() / 1000;
    checkClaimFormats(jws.payload, nowSeconds, rules);
    const expected = createHmac('sha256', key).update(jws.signingInput).digest();
    if (expected.length !== jws.signature.length || !timingSafeEqual(expected, jws.signature)) {
      throw new Error('invalid signature');
    }
    checkRegisteredClaims(jws.payload, nowSeconds, rules);
    return jws.payload;
  };
}
