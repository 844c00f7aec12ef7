import { createHmac, type KeyObject, sign } from 'node:crypto';

/** base64url of a string's UTF-8 bytes or of raw bytes, unpadded. */
export function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** The JSON of a segment, decoded independently of the code under test. */
export function segmentJson(token: string, index: 0 | 1): unknown {
  const segment = token.split('.')[index] ?? '';
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

/** HMAC of a signing input with `hash`, as unpadded base64url: how any JWS library signs HS*. */
export function hmacSignature(secret: string | Buffer, signingInput: string, hash = 'sha256'): string {
  return createHmac(hash, secret).update(signingInput).digest('base64url');
}

export type Signer = (signingInput: string) => string;

/** Signs HS* with `secret` (a string, bytes or PEM text: whatever an attacker chooses). */
export const hmacSigner =
  (secret: string | Buffer, hash = 'sha256'): Signer =>
  (input) =>
    hmacSignature(secret, input, hash);

/** Signs RS256 with `privateKey`. */
export const rs256Signer =
  (privateKey: KeyObject): Signer =>
  (input) =>
    sign('sha256', Buffer.from(input), privateKey).toString('base64url');

/** Signs EdDSA with an Ed25519/Ed448 `privateKey`. */
export const eddsaSigner =
  (privateKey: KeyObject): Signer =>
  (input) =>
    sign(null, Buffer.from(input), privateKey).toString('base64url');

/**
 * A compact JWS built without the code under test, the way PyJWT builds one: compact JSON (no
 * spaces), `base64url(header) "." base64url(payload)`, signed by `signer`. Header and payload may be
 * raw JSON text, to forge what `JSON.stringify` cannot produce.
 */
export function forgeJwt(header: object | string, payload: unknown, signer: Signer | string): string {
  const headerJson = typeof header === 'string' ? header : JSON.stringify(header);
  const payloadJson = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const signingInput = `${b64url(headerJson)}.${b64url(payloadJson)}`;
  const signature = typeof signer === 'string' ? signer : signer(signingInput);
  return `${signingInput}.${signature}`;
}
