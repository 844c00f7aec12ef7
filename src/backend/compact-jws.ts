import { TokenBackendError, type TokenPayload } from './token-backend.js';

/** A JWS in compact serialisation, split and decoded but not yet verified. */
export interface CompactJws {
  readonly header: TokenPayload;
  readonly payload: TokenPayload;
  /** `base64url(header) "." base64url(payload)`: the bytes the signature covers. */
  readonly signingInput: string;
  /** The third segment, decoded. */
  readonly signature: Buffer;
}

// Compiled once: unpadded base64url, nothing else (no '=', '+', '/', whitespace).
const base64urlSegment = /^[A-Za-z0-9_-]+$/;
// `fatal` makes invalid UTF-8 an error instead of silent U+FFFD replacement (PyJWT refuses it too).
const utf8 = new TextDecoder('utf-8', { fatal: true });
const base64urlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A `parseCompactJws` for one backend that remembers the last header segment it decoded: the tokens a
 * service sees almost all carry the same header bytes, so the same (frozen) header object is reused
 * instead of decoding and parsing it again. Same string, same result: nothing else is remembered.
 */
export function createCompactJwsParser(maxLength: number): (token: unknown) => CompactJws {
  let lastSegment: string | undefined;
  let lastHeader: TokenPayload | undefined;
  const headerOf = (segment: string): TokenPayload => {
    if (segment === lastSegment && lastHeader !== undefined) return lastHeader;
    const header = decodeHeader(segment);
    Object.freeze(header);
    lastSegment = segment;
    lastHeader = header;
    return header;
  };
  return (token) => parse(token, maxLength, headerOf);
}

/**
 * Splits `token` into exactly three non-empty base64url segments and decodes header and payload as
 * JSON objects (null-prototype all the way down, so a `__proto__` claim is plain data).
 * Checks structure only: no algorithm, key, signature or claim checks.
 * @throws TokenBackendError for anything that is not a well-formed compact JWS with an object payload.
 */
export function parseCompactJws(token: unknown, maxLength: number): CompactJws {
  return parse(token, maxLength, decodeHeader);
}

function decodeHeader(segment: string): TokenPayload {
  const header = decodeJsonObject(segment, 'header');
  if (typeof header['alg'] !== 'string') throw new TokenBackendError('Token header has no algorithm');
  return header;
}

function parse(token: unknown, maxLength: number, headerOf: (segment: string) => TokenPayload): CompactJws {
  if (typeof token !== 'string') throw new TokenBackendError('Token is not a string');
  if (token.length > maxLength) throw new TokenBackendError(`Token is longer than ${maxLength} characters`);
  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  if (firstDot < 0 || secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
    throw new TokenBackendError('Token must have exactly three segments');
  }
  const headerSegment = token.slice(0, firstDot);
  const payloadSegment = token.slice(firstDot + 1, secondDot);
  const signatureSegment = token.slice(secondDot + 1);
  checkSegment(headerSegment, 'header');
  checkSegment(payloadSegment, 'payload');
  checkSegment(signatureSegment, 'signature');
  // Only the canonical encoding: decoders ignore unused trailing bits, so one signature would
  // otherwise have several spellings (a changed token string that still verifies).
  if (!hasCanonicalEnd(signatureSegment)) {
    throw new TokenBackendError('Token signature is not canonical base64url');
  }
  const signature = Buffer.from(signatureSegment, 'base64url');
  const header = headerOf(headerSegment);
  const payload = decodeJsonObject(payloadSegment, 'payload');
  return { header, payload, signingInput: token.slice(0, secondDot), signature };
}

function checkSegment(segment: string, name: string): void {
  // A length of 4n+1 cannot be base64 at all; Buffer.from would silently drop the extra character.
  if (!base64urlSegment.test(segment) || segment.length % 4 === 1) {
    throw new TokenBackendError(`Token ${name} is not unpadded base64url`);
  }
}

/**
 * Whether the unused low bits of the last character are zero, as in the one canonical encoding: a
 * length of 4n+2 leaves 4 unused bits, 4n+3 leaves 2 (4n+1 was refused by `checkSegment`).
 */
function hasCanonicalEnd(segment: string): boolean {
  const unusedBits = [0, 0, 4, 2][segment.length % 4] ?? 0;
  if (unusedBits === 0) return true;
  const value = base64urlAlphabet.indexOf(segment.charAt(segment.length - 1));
  return (value & ((1 << unusedBits) - 1)) === 0;
}

/** UTF-8 text of `bytes`, refusing invalid UTF-8; the common case (no U+FFFD at all) decodes once. */
function strictUtf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  // A U+FFFD may be a replaced invalid sequence or a real one: only then ask the strict decoder.
  return text.includes('\uFFFD') ? utf8.decode(bytes) : text;
}

function decodeJsonObject(segment: string, name: string): TokenPayload {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8(Buffer.from(segment, 'base64url')));
  } catch {
    throw new TokenBackendError(`Token ${name} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TokenBackendError(`Token ${name} is not a JSON object`);
  }
  return withNullPrototypes(value) as TokenPayload;
}

/**
 * A deep copy of parsed JSON whose objects have no prototype. `JSON.parse` already makes `__proto__`
 * an own property; copying with plain assignment onto null-prototype objects keeps it one (there is no
 * inherited `__proto__` setter to trigger), and nothing downstream can reach `Object.prototype`.
 */
export function withNullPrototypes(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withNullPrototypes);
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value))
    copy[key] = withNullPrototypes((value as Record<string, unknown>)[key]);
  return copy;
}
