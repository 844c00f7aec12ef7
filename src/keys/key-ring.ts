import type { KeyObject } from 'node:crypto';
import type { AlgorithmSpec } from '../backend/algorithms.js';
import { type PreparedKeys, prepareKeyMaterial } from '../backend/key-material.js';
import { TokenBackendError } from '../backend/token-backend.js';
import { ImproperlyConfiguredError } from '../errors.js';
import type { Algorithm, ResolvedSettings } from '../settings.js';
import { type JsonWebKeySet, keyThumbprint, type PublicJwk, publicJwkOf } from './public-jwk.js';
import { createKidSigner } from './sign-with-kid.js';

/** The settings a key ring reads. */
export type KeyRingSettings = Pick<
  ResolvedSettings,
  'algorithm' | 'signingKey' | 'verifyingKey' | 'jwkUrl' | 'signingKeys' | 'retiredKeys'
>;

/** Several keys by `kid`: the first of `signingKeys` signs, all of them and every retired key verify. */
export interface KeyRing {
  /** The active key, in the shape the token backend uses for a single key. */
  readonly keys: PreparedKeys;
  /** The active key's `kid`, written into every token it signs. */
  readonly activeKid: string;
  /** Signs claims with the active key, header `{"alg","typ":"JWT","kid"}`. */
  sign(claimsJson: string): string;
  /**
   * The key a token's `kid` names; without a `kid` (a token from before the key ring), the active key.
   * @throws TokenBackendError for a `kid` the ring does not hold (reported like a bad signature).
   */
  verifyingKeyFor(kid: string | undefined): KeyObject;
  /** The public keys (none for HMAC), active first. */
  readonly jwks: JsonWebKeySet;
  /** Every verifying key (public keys, or the secrets for HMAC), active first. */
  readonly verifyingKeys: readonly KeyObject[];
}

interface RingKey {
  readonly kid: string;
  readonly verifyingKey: KeyObject;
}

/**
 * Builds the key ring when `signingKeys` is set, else returns `undefined` (the single `signingKey`
 * path stays as it was). Every key is checked like `signingKey` (signing keys) or `verifyingKey`
 * (retired asymmetric keys) against the one `algorithm`.
 * @throws ImproperlyConfiguredError naming the setting and index at fault.
 */
export function prepareKeyRing(settings: KeyRingSettings): KeyRing | undefined {
  const { algorithm, signingKeys, retiredKeys } = settings;
  if (signingKeys === undefined) {
    if (retiredKeys !== undefined) {
      throw new ImproperlyConfiguredError(
        'retiredKeys',
        'needs signingKeys: retired keys belong to a key ring',
      );
    }
    return undefined;
  }
  for (const single of ['signingKey', 'verifyingKey', 'jwkUrl'] as const) {
    if (settings[single] !== undefined) {
      throw new ImproperlyConfiguredError(
        single,
        'cannot be combined with signingKeys: put the key first in signingKeys instead',
      );
    }
  }
  const signing = signingKeys.map((entry, index) => {
    const keys = prepareEntry(`signingKeys[${index}]`, { algorithm, signingKey: entry.key });
    return { entry, keys, index };
  });
  const active = signing[0]?.keys;
  if (active?.signingKey === undefined || active.verifyingKey === undefined) {
    throw new ImproperlyConfiguredError('signingKeys', 'expected a non-empty list of keys');
  }
  const hmac = active.spec.family === 'hmac';
  const retired = (retiredKeys ?? []).map((entry, index) => {
    const material = hmac ? { signingKey: entry.key } : { verifyingKey: entry.key };
    return { entry, keys: prepareEntry(`retiredKeys[${index}]`, { algorithm, ...material }), index };
  });
  const ring: RingKey[] = [];
  const byKid = new Map<string, KeyObject>();
  for (const [setting, list] of [
    ['signingKeys', signing],
    ['retiredKeys', retired],
  ] as const) {
    for (const { entry, keys, index } of list) {
      const verifyingKey = keys.verifyingKey as KeyObject;
      const kid = entry.kid ?? thumbprintOf(`${setting}[${index}]`, verifyingKey);
      if (byKid.has(kid)) {
        throw new ImproperlyConfiguredError(
          `${setting}[${index}]`,
          `kid ${JSON.stringify(kid)} is used twice`,
        );
      }
      byKid.set(kid, verifyingKey);
      ring.push({ kid, verifyingKey });
    }
  }
  const [first] = ring as [RingKey, ...RingKey[]];
  const sign = createKidSigner(algorithm, first.kid);
  const signingKey = active.signingKey;
  const jwks: JsonWebKeySet = Object.freeze({
    keys: Object.freeze(hmac ? [] : ring.map((key) => publishedJwk(key, algorithm, active.spec))),
  });
  return Object.freeze({
    keys: active,
    activeKid: first.kid,
    sign: (claimsJson: string) => sign(claimsJson, signingKey),
    verifyingKeyFor(kid: string | undefined): KeyObject {
      if (kid === undefined) return first.verifyingKey;
      const key = byKid.get(kid);
      if (key === undefined) throw new TokenBackendError('No key has the kid of this token');
      return key;
    },
    jwks,
    verifyingKeys: Object.freeze(ring.map((key) => key.verifyingKey)),
  });
}

/** One key checked by the single-key rules, errors renamed to the list entry. */
function prepareEntry(
  setting: string,
  material: Pick<KeyRingSettings, 'algorithm'> &
    Partial<Pick<KeyRingSettings, 'signingKey' | 'verifyingKey'>>,
): PreparedKeys {
  try {
    return prepareKeyMaterial({
      signingKey: undefined,
      verifyingKey: undefined,
      jwkUrl: undefined,
      ...material,
    });
  } catch (error) {
    if (!(error instanceof ImproperlyConfiguredError)) throw error;
    throw new ImproperlyConfiguredError(setting, error.message.replace(/^Simple JWT setting '[^']+': /, ''));
  }
}

function thumbprintOf(setting: string, key: KeyObject): string {
  try {
    return keyThumbprint(key);
  } catch (error) {
    throw new ImproperlyConfiguredError(setting, `${(error as Error).message}: give its kid`);
  }
}

function publishedJwk({ kid, verifyingKey }: RingKey, algorithm: Algorithm, spec: AlgorithmSpec): PublicJwk {
  try {
    return publicJwkOf(verifyingKey, kid, algorithm);
  } catch (error) {
    throw new ImproperlyConfiguredError(
      'signingKeys',
      `the ${spec.family} key ${JSON.stringify(kid)} cannot be published: ${(error as Error).message} (use a plain RSA key for ${algorithm})`,
    );
  }
}
