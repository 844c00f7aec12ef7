import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Algorithm } from '../settings.js';

/**
 * A signer writing header `{"alg","typ":"JWT","kid"}` over `claimsJson` exactly as given: the key
 * ring's counterpart of the single-key signer, whose header has no `kid` (as Simple JWT's).
 */
export function createKidSigner(
  algorithm: Algorithm,
  kid: string,
): (claimsJson: string, key: KeyObject) => string {
  if (algorithm === 'EdDSA') {
    // jsonwebtoken 9 has no EdDSA: compact JWS with node:crypto.
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid })).toString('base64url');
    return (claimsJson, key) => {
      const signingInput = `${header}.${Buffer.from(claimsJson).toString('base64url')}`;
      return `${signingInput}.${cryptoSign(null, Buffer.from(signingInput), key).toString('base64url')}`;
    };
  }
  const options: jwt.SignOptions = { algorithm, header: { alg: algorithm, typ: 'JWT', kid } };
  return (claimsJson, key) => jwt.sign(claimsJson, key, options);
}
