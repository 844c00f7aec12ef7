import type { PreparedKeys } from '../backend/key-material.js';
import { type JsonWebKeySet, keyThumbprint, publicJwkOf } from './public-jwk.js';

const emptySet: JsonWebKeySet = Object.freeze({ keys: Object.freeze([]) });

/**
 * The JWK Set of a single-key configuration: the public key of an asymmetric `signingKey` under its
 * thumbprint `kid`; empty for HMAC (a secret is never published), for a verify-only service and for a
 * key node:crypto cannot express as a JWK. Its tokens carry no `kid`: a verifier with a one-key set
 * takes that key. Rotating needs `signingKeys`.
 */
export function publicKeySet({ algorithm, spec, signingKey, verifyingKey }: PreparedKeys): JsonWebKeySet {
  if (spec.family === 'hmac' || signingKey === undefined || verifyingKey === undefined) return emptySet;
  try {
    const jwk = publicJwkOf(verifyingKey, keyThumbprint(verifyingKey), algorithm);
    return Object.freeze({ keys: Object.freeze([jwk]) });
  } catch {
    return emptySet;
  }
}
