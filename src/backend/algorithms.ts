import type { KeyObject } from 'node:crypto';
import type { Algorithm } from '../settings.js';

/** How an algorithm signs: which key family it needs and which implementation runs it. */
export type AlgorithmFamily = 'hmac' | 'rsa' | 'rsa-pss' | 'ec' | 'eddsa';

/** What a key must look like for one algorithm. */
export interface AlgorithmSpec {
  readonly family: AlgorithmFamily;
  /** HMAC only: RFC 7518 §3.2 wants a key at least as long as the hash output. */
  readonly minSecretBytes?: number;
  /** ECDSA only: the one curve the algorithm is defined on (node:crypto's name). */
  readonly namedCurve?: string;
  /** ECDSA only: the curve's JOSE name, for messages. */
  readonly curveName?: string;
}

/** Every supported algorithm and its key requirements; `hasOwn` guards lookups of unknown names. */
export const algorithmSpecs: Readonly<Record<Algorithm, AlgorithmSpec>> = Object.freeze({
  HS256: { family: 'hmac', minSecretBytes: 32 },
  HS384: { family: 'hmac', minSecretBytes: 48 },
  HS512: { family: 'hmac', minSecretBytes: 64 },
  RS256: { family: 'rsa' },
  RS384: { family: 'rsa' },
  RS512: { family: 'rsa' },
  PS256: { family: 'rsa-pss' },
  PS384: { family: 'rsa-pss' },
  PS512: { family: 'rsa-pss' },
  ES256: { family: 'ec', namedCurve: 'prime256v1', curveName: 'P-256' },
  ES384: { family: 'ec', namedCurve: 'secp384r1', curveName: 'P-384' },
  ES512: { family: 'ec', namedCurve: 'secp521r1', curveName: 'P-521' },
  EdDSA: { family: 'eddsa' },
});

/** The spec of `algorithm`, or `undefined` when it is not one we support (e.g. `none`). */
export function algorithmSpecOf(algorithm: string): AlgorithmSpec | undefined {
  return Object.hasOwn(algorithmSpecs, algorithm) ? algorithmSpecs[algorithm as Algorithm] : undefined;
}

/** RSA moduli below this are refused (NIST SP 800-131A; jsonwebtoken refuses them too). */
export const minRsaModulusBits = 2048;

/**
 * Why an asymmetric `key` cannot be used with `algorithm`, or `undefined` when it fits.
 * Used for configured keys (start-up errors) and for keys fetched from a JWKS (token errors).
 */
export function asymmetricKeyProblem(key: KeyObject, algorithm: Algorithm): string | undefined {
  const spec = algorithmSpecs[algorithm];
  const type = key.asymmetricKeyType;
  switch (spec.family) {
    case 'hmac':
      return `${algorithm} needs a shared secret, not an asymmetric key`;
    case 'rsa':
    case 'rsa-pss': {
      // RSASSA-PSS keys are restricted to PS*; plain RSA keys serve both RS* and PS*.
      const accepted = spec.family === 'rsa' ? type === 'rsa' : type === 'rsa' || type === 'rsa-pss';
      if (!accepted) return `${algorithm} needs an RSA key, got ${describeKeyType(key)}`;
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < minRsaModulusBits) {
        return `${algorithm} needs an RSA key of at least ${minRsaModulusBits} bits, got ${bits} bits`;
      }
      return type === 'rsa-pss' ? pssParameterProblem(key, algorithm) : undefined;
    }
    case 'ec': {
      if (type !== 'ec')
        return `${algorithm} needs an EC key on ${spec.curveName}, got ${describeKeyType(key)}`;
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve !== spec.namedCurve) {
        return `${algorithm} needs an EC key on ${spec.curveName}, got an EC key on ${curve ?? 'an unknown curve'}`;
      }
      return undefined;
    }
    case 'eddsa':
      if (type !== 'ed25519' && type !== 'ed448') {
        return `${algorithm} needs an Ed25519 or Ed448 key, got ${describeKeyType(key)}`;
      }
      return undefined;
  }
}

/** An RSASSA-PSS key restricted to other hash parameters cannot sign or verify this algorithm. */
function pssParameterProblem(key: KeyObject, algorithm: Algorithm): string | undefined {
  const hash = `sha${algorithm.slice(2)}`;
  const { hashAlgorithm, mgf1HashAlgorithm } = key.asymmetricKeyDetails ?? {};
  if ((hashAlgorithm ?? hash) !== hash || (mgf1HashAlgorithm ?? hash) !== hash) {
    return `${algorithm} needs an RSA-PSS key restricted to ${hash}, got one restricted to ${hashAlgorithm}`;
  }
  return undefined;
}

const keyTypeNames: Readonly<Record<string, string>> = {
  rsa: 'an RSA key',
  'rsa-pss': 'an RSA-PSS key',
  ec: 'an EC key',
  ed25519: 'an Ed25519 key',
  ed448: 'an Ed448 key',
  x25519: 'an X25519 key',
  x448: 'an X448 key',
};

function describeKeyType(key: KeyObject): string {
  if (key.type === 'secret') return 'a secret key';
  const type = key.asymmetricKeyType ?? 'unknown';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return `${keyTypeNames[type] ?? `a ${type} key`}${curve ? ` on ${curve}` : ''}`;
}
