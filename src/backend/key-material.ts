import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { describe } from '../duration.js';
import { ImproperlyConfiguredError } from '../errors.js';
import type { Algorithm, KeyMaterial, ResolvedSettings } from '../settings.js';
import { type AlgorithmSpec, algorithmSpecOf, asymmetricKeyProblem } from './algorithms.js';

/** The settings key preparation reads. */
export type KeySettings = Pick<ResolvedSettings, 'algorithm' | 'signingKey' | 'verifyingKey' | 'jwkUrl'>;

/** Keys as `KeyObject`s, parsed and checked once (jsonwebtoken is much slower with string keys). */
export interface PreparedKeys {
  readonly algorithm: Algorithm;
  readonly spec: AlgorithmSpec;
  /** The HMAC secret or the private key; `undefined` for a verify-only service. */
  readonly signingKey: KeyObject | undefined;
  /** The HMAC secret or the public key (derived from the private key when not given). */
  readonly verifyingKey: KeyObject | undefined;
  /** The JWKS endpoint verification keys come from (asymmetric algorithms only). */
  readonly jwkUrl: string | undefined;
}

/** Shown with every refused HMAC secret. */
export const secretGenerationHint = `Generate one with: node -e "console.log(require('crypto').randomBytes(64).toString('base64url'))"`;

// PyJWT refuses the same: a PEM or SSH public key used as an HMAC secret is the algorithm-confusion attack.
const asymmetricKeyText = /-----BEGIN [A-Z0-9 ]+-----|^\s*(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-)/;

/**
 * Turns `signingKey`/`verifyingKey` into `KeyObject`s fitting `algorithm`, refusing at start-up what
 * could never work or would be unsafe: short HMAC secrets, PEM text as an HMAC secret, keys of the
 * wrong type or curve, RSA below 2048 bits, a public key as `signingKey`, a private key as
 * `verifyingKey`, a key pair that does not match, and no key at all.
 * @throws ImproperlyConfiguredError naming the setting at fault.
 */
export function prepareKeyMaterial(settings: KeySettings): PreparedKeys {
  const { algorithm } = settings;
  const spec = algorithmSpecOf(algorithm);
  if (spec === undefined) {
    throw new ImproperlyConfiguredError('algorithm', `Unrecognized algorithm type ${describe(algorithm)}`);
  }
  if (spec.family === 'hmac') {
    // verifyingKey and jwkUrl mean nothing for a shared secret (as in Simple JWT).
    const secret = prepareSecret(algorithm, spec.minSecretBytes ?? 0, settings.signingKey);
    return Object.freeze({ algorithm, spec, signingKey: secret, verifyingKey: secret, jwkUrl: undefined });
  }
  const jwkUrl = settings.jwkUrl === undefined ? undefined : checkJwkUrl(settings.jwkUrl);
  const signingKey =
    settings.signingKey === undefined ? undefined : preparePrivateKey(algorithm, settings.signingKey);
  let verifyingKey =
    settings.verifyingKey === undefined ? undefined : preparePublicKey(algorithm, settings.verifyingKey);
  if (signingKey && verifyingKey && !createPublicKey(signingKey).equals(verifyingKey)) {
    throw new ImproperlyConfiguredError(
      'verifyingKey',
      'does not match signingKey: tokens this service signs would fail verification',
    );
  }
  verifyingKey ??= signingKey && createPublicKey(signingKey);
  if (verifyingKey === undefined && jwkUrl === undefined) {
    throw new ImproperlyConfiguredError(
      'signingKey',
      `is missing: ${algorithm} needs a private signingKey (to issue tokens), or a public verifyingKey or a jwkUrl (verify-only service)`,
    );
  }
  return Object.freeze({ algorithm, spec, signingKey, verifyingKey, jwkUrl });
}

function isKeyObject(material: KeyMaterial): material is KeyObject {
  return typeof material === 'object' && !Buffer.isBuffer(material);
}

function prepareSecret(algorithm: Algorithm, minBytes: number, material: KeyMaterial | undefined): KeyObject {
  // An empty SIMPLE_JWT_SIGNING_KEY is an unset variable, not a zero-byte secret.
  if (material === undefined || material === '') {
    throw new ImproperlyConfiguredError(
      'signingKey',
      `is missing: ${algorithm} needs a secret of at least ${minBytes} bytes (SIMPLE_JWT_SIGNING_KEY from the environment). ${secretGenerationHint}`,
    );
  }
  let bytes: Buffer;
  if (isKeyObject(material)) {
    if (material.type !== 'secret') {
      throw new ImproperlyConfiguredError(
        'signingKey',
        `${algorithm} needs a shared secret, got a ${material.type} key (use RS256, ES256 or EdDSA for key pairs)`,
      );
    }
    bytes = material.export();
  } else {
    const text = typeof material === 'string' ? material : material.toString('latin1');
    if (asymmetricKeyText.test(text)) {
      throw new ImproperlyConfiguredError(
        'signingKey',
        `${algorithm} needs a shared secret, got PEM or SSH key text (use RS256, ES256 or EdDSA for key pairs)`,
      );
    }
    bytes = typeof material === 'string' ? Buffer.from(material, 'utf8') : material;
  }
  if (bytes.length < minBytes) {
    throw new ImproperlyConfiguredError(
      'signingKey',
      `${algorithm} needs a secret of at least ${minBytes} bytes (RFC 7518 §3.2), got ${bytes.length}. ${secretGenerationHint}`,
    );
  }
  return createSecretKey(bytes);
}

function preparePrivateKey(algorithm: Algorithm, material: KeyMaterial): KeyObject {
  let key: KeyObject;
  if (isKeyObject(material)) key = material;
  else {
    try {
      key = createPrivateKey(material);
    } catch (error) {
      if (parses(() => createPublicKey(material))) throw publicSigningKeyError();
      throw new ImproperlyConfiguredError(
        'signingKey',
        `${algorithm} needs a private key as PEM text or a KeyObject (${(error as Error).message})`,
      );
    }
  }
  if (key.type === 'public') throw publicSigningKeyError();
  if (key.type !== 'private') {
    throw new ImproperlyConfiguredError(
      'signingKey',
      `${algorithm} needs a private key, got a shared secret`,
    );
  }
  const problem = asymmetricKeyProblem(key, algorithm);
  if (problem) throw new ImproperlyConfiguredError('signingKey', problem);
  return key;
}

function publicSigningKeyError(): ImproperlyConfiguredError {
  return new ImproperlyConfiguredError(
    'signingKey',
    'got a public key, which cannot sign: put it in verifyingKey and give signingKey the private key (or leave it unset for a verify-only service)',
  );
}

function preparePublicKey(algorithm: Algorithm, material: KeyMaterial): KeyObject {
  // createPublicKey would happily derive a public key from private key text: refuse it instead, so a
  // verify-only service is never handed the private key.
  const isPrivate = isKeyObject(material)
    ? material.type === 'private'
    : parses(() => createPrivateKey(material));
  if (isPrivate) {
    throw new ImproperlyConfiguredError(
      'verifyingKey',
      'got a private key: give the public key here (the private key belongs only in signingKey)',
    );
  }
  let key: KeyObject;
  try {
    key = isKeyObject(material) ? material : createPublicKey(material);
  } catch (error) {
    throw new ImproperlyConfiguredError(
      'verifyingKey',
      `${algorithm} needs a public key as PEM text or a KeyObject (${(error as Error).message})`,
    );
  }
  if (key.type !== 'public') {
    throw new ImproperlyConfiguredError(
      'verifyingKey',
      `${algorithm} needs a public key, got a shared secret`,
    );
  }
  const problem = asymmetricKeyProblem(key, algorithm);
  if (problem) throw new ImproperlyConfiguredError('verifyingKey', problem);
  return key;
}

function parses(attempt: () => unknown): boolean {
  try {
    attempt();
    return true;
  } catch {
    return false;
  }
}

function checkJwkUrl(jwkUrl: string): string {
  let url: URL;
  try {
    url = new URL(jwkUrl);
  } catch {
    throw new ImproperlyConfiguredError(
      'jwkUrl',
      `expected an absolute http(s) URL, got ${describe(jwkUrl)}`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ImproperlyConfiguredError('jwkUrl', `expected an http(s) URL, got ${describe(jwkUrl)}`);
  }
  return jwkUrl;
}
