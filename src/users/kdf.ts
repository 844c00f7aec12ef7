import { pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt parameters as stored in a hash: cost `N`, block size `r`, parallelization `p`. */
export interface ScryptParameters {
  readonly cost: number;
  readonly blockSize: number;
  readonly parallelization: number;
}

/** The memory OpenSSL needs for these parameters, exactly: `128·r·(N + p + 2)` bytes. */
export function scryptMemoryOf({ cost, blockSize, parallelization }: ScryptParameters): number {
  return 128 * blockSize * (cost + parallelization + 2);
}

/**
 * scrypt on libuv's thread pool. Never `scryptSync`: a synchronous hash stalls every request the
 * process is serving for the whole computation.
 */
export function scryptAsync(
  password: string,
  salt: string,
  keyLength: number,
  parameters: ScryptParameters,
): Promise<Buffer> {
  const options = {
    N: parameters.cost,
    r: parameters.blockSize,
    p: parameters.parallelization,
    maxmem: scryptMemoryOf(parameters),
  };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** PBKDF2-HMAC on libuv's thread pool (Django's `pbkdf2_sha256` / `pbkdf2_sha1`). */
export function pbkdf2Async(
  password: string,
  salt: string,
  iterations: number,
  keyLength: number,
  digest: 'sha256' | 'sha1',
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, keyLength, digest, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Constant-time equality of two byte strings; different lengths are simply unequal. */
export function bytesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 (padded, as Python's `b64encode` writes it); `null` for anything else. */
export function decodeBase64(text: string): Buffer | null {
  return text.length > 0 && base64Pattern.test(text) ? Buffer.from(text, 'base64') : null;
}

/** A decimal integer without sign, leading zeros or exponent, within `[1, max]`; else `null`. */
export function parseBoundedInteger(text: string, max: number): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

/** A salt as Django stores it: a non-empty string, used as its UTF-8 bytes. */
export function isUsableSalt(salt: string): boolean {
  return salt.length > 0 && salt.length <= 256;
}
