import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import { algorithmSpecOf } from '../backend/algorithms.js';
import type { Algorithm } from '../settings.js';
import { keyThumbprint } from './public-jwk.js';

/** A new key for `signingKeys`, as text, with the `kid` the settings will derive for it. */
export interface GeneratedSigningKey {
  readonly algorithm: Algorithm;
  readonly kid: string;
  /** A PKCS#8 PEM private key, or for HS* a base64url secret. */
  readonly signingKey: string;
  /** The SPKI PEM public key (for `retiredKeys` once it is retired, or a verifier's `verifyingKey`); the secret again for HS*. */
  readonly verifyingKey: string;
}

/**
 * A fresh key for `algorithm`: 64 random bytes for HS* (enough for HS512), RSA 2048 for RS* and PS*,
 * the algorithm's curve for ES*, Ed25519 for EdDSA.
 * @throws TypeError for an algorithm we do not support.
 */
export function generateSigningKey(algorithm: Algorithm): GeneratedSigningKey {
  const spec = algorithmSpecOf(algorithm);
  if (spec === undefined) throw new TypeError(`Unrecognized algorithm type ${JSON.stringify(algorithm)}`);
  if (spec.family === 'hmac') {
    const secret = randomBytes(64).toString('base64url');
    return {
      algorithm,
      kid: keyThumbprint(createSecretKey(Buffer.from(secret))),
      signingKey: secret,
      verifyingKey: secret,
    };
  }
  const { privateKey } =
    spec.family === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: spec.namedCurve as string })
      : spec.family === 'eddsa'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return describeKeyPair(algorithm, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
}

/** The `kid` and public key of an existing private key PEM. */
export function describeKeyPair(algorithm: Algorithm, privateKeyPem: string): GeneratedSigningKey {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  return {
    algorithm,
    kid: keyThumbprint(publicKey),
    signingKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    verifyingKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}
