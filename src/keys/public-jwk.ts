import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Algorithm } from '../settings.js';

/** One published verification key: only standard members, so any JOSE library (and Simple JWT's `JWK_URL`) reads it. */
export interface PublicJwk {
  readonly kty: string;
  readonly crv?: string;
  readonly n?: string;
  readonly e?: string;
  readonly x?: string;
  readonly y?: string;
  readonly kid: string;
  readonly alg: Algorithm;
  readonly use: 'sig';
}

/** A JSON Web Key Set (RFC 7517 §5), as served at `/.well-known/jwks.json`. */
export interface JsonWebKeySet {
  readonly keys: readonly PublicJwk[];
}

/** RFC 7638 §3.2: the members a thumbprint covers, per key type, in lexicographic order. */
const requiredMembers: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
  oct: ['k', 'kty'],
};

function membersOf(jwk: JsonWebKey): readonly string[] {
  const members = requiredMembers[String(jwk.kty)];
  if (members === undefined) throw new TypeError(`No JWK thumbprint is defined for key type ${jwk.kty}`);
  return members;
}

/**
 * The RFC 7638 thumbprint of a JWK: base64url(SHA-256(JSON of the required members, sorted, no
 * whitespace)). Members beyond the required ones (`kid`, `alg`, private parts) do not change it.
 */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const canonical: Record<string, unknown> = {};
  for (const member of membersOf(jwk)) {
    if (typeof jwk[member] !== 'string') throw new TypeError(`The JWK has no '${member}' member`);
    canonical[member] = jwk[member];
  }
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

/** A key as a JWK; node:crypto cannot express RSASSA-PSS-restricted keys as JWKs, so those are refused here. */
function exportJwk(key: KeyObject): JsonWebKey {
  try {
    return key.export({ format: 'jwk' });
  } catch (error) {
    throw new TypeError(`This key cannot be expressed as a JWK (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** The default `kid` of a key: the RFC 7638 thumbprint of its public part (of the secret itself for HMAC). */
export function keyThumbprint(key: KeyObject): string {
  return jwkThumbprint(exportJwk(key.type === 'private' ? createPublicKey(key) : key));
}

/** The public JWK of an asymmetric key, with `kid`, `alg` and `use: 'sig'` and nothing private. */
export function publicJwkOf(key: KeyObject, kid: string, alg: Algorithm): PublicJwk {
  const jwk = exportJwk(key.type === 'private' ? createPublicKey(key) : key);
  if (jwk.kty === 'oct') throw new TypeError('A shared secret is never published');
  const published: Record<string, unknown> = { kty: jwk.kty };
  for (const member of membersOf(jwk)) if (member !== 'kty') published[member] = jwk[member];
  return Object.freeze({ ...published, kid, alg, use: 'sig' }) as PublicJwk;
}
