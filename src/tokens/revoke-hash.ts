import { createHmac, hkdfSync, type KeyObject } from 'node:crypto';
import { prepareKeyMaterial } from '../backend/key-material.js';
import { ImproperlyConfiguredError } from '../errors.js';
import { prepareKeyRing } from '../keys/key-ring.js';
import type { ResolvedSettings } from '../settings.js';

/** HKDF `info` of the revoke-hash key: changing it would log out every user with `checkRevokeToken`. */
export const revokeHashKeyInfo = 'pothos-plugin-simple-jwt revoke-token-claim v1';

/** Makes a token's revoke claim from a password hash; see `createRevokeHasher`. */
export interface RevokeHasher {
  (passwordHash: string): string;
  /**
   * With `signingKeys`: the same construction under each other key of the ring, so that tokens
   * issued before a rotation keep matching until their key leaves the ring.
   */
  readonly otherKeys?: readonly ((passwordHash: string) => string)[];
}

/** The settings the revoke hasher reads. */
export type RevokeHashSettings = Pick<
  ResolvedSettings,
  'algorithm' | 'signingKey' | 'verifyingKey' | 'jwkUrl' | 'signingKeys' | 'retiredKeys' | 'checkRevokeToken'
>;

/**
 * The `checkRevokeToken` claim value for a stored password hash:
 * `upper(hex(HMAC-SHA256(K, utf8(passwordHash))))` with
 * `K = HKDF-SHA256(ikm, salt = "", info = revokeHashKeyInfo, 32 bytes)`, where `ikm` is the HMAC secret
 * (HS*) or the DER (SPKI) of the verifying key (asymmetric, so verify-only services compute the same).
 * Simple JWT uses unkeyed MD5; we key the hash so the claim is useless to anyone without the key, and
 * derive K so that it can never double as a token signature.
 * @throws ImproperlyConfiguredError with `checkRevokeToken` on a service that has only a `jwkUrl`.
 */
export function createRevokeHasher(settings: RevokeHashSettings): RevokeHasher {
  const ring = prepareKeyRing(settings);
  if (ring) {
    // New claims under the active key; claims under the ring's other keys still match.
    const [active, ...others] = ring.verifyingKeys.map(hasherFor) as [RevokeHasher, ...RevokeHasher[]];
    return Object.assign(active, { otherKeys: Object.freeze(others) });
  }
  const keys = prepareKeyMaterial(settings);
  const ikm =
    keys.spec.family === 'hmac'
      ? keys.signingKey?.export()
      : keys.verifyingKey?.export({ format: 'der', type: 'spki' });
  if (ikm === undefined) {
    if (settings.checkRevokeToken) {
      throw new ImproperlyConfiguredError(
        'checkRevokeToken',
        'needs a signingKey or verifyingKey to key the password-hash claim; jwkUrl alone is not enough',
      );
    }
    return () => {
      throw new Error('Revoke hashes need a signingKey or verifyingKey');
    };
  }
  return hasherOfIkm(ikm);
}

function hasherOfIkm(ikm: Buffer): RevokeHasher {
  const key = Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), revokeHashKeyInfo, 32));
  return (passwordHash) => createHmac('sha256', key).update(passwordHash, 'utf8').digest('hex').toUpperCase();
}

/** A key ring's verifying key: the secret itself for HMAC, the public key's SPKI DER otherwise (as above). */
function hasherFor(verifyingKey: KeyObject): RevokeHasher {
  return hasherOfIkm(
    verifyingKey.type === 'secret'
      ? verifyingKey.export()
      : verifyingKey.export({ format: 'der', type: 'spki' }),
  );
}
