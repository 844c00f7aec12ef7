import {
  decodeBase64,
  isUsableSalt,
  parseBoundedInteger,
  type ScryptParameters,
  scryptMemoryOf,
} from './kdf.js';

/** Bounds on scrypt parameters read from a stored hash, so a hostile hash cannot exhaust the server. */
export interface ScryptLimits {
  /** Largest `128·r·(N + p + 2)` in bytes. */
  readonly maxMemory: number;
  /** Largest parallelization `p` (the time cost grows linearly with it). */
  readonly maxParallelization: number;
}

/** A parsed `scrypt$<N>$<salt>$<r>$<p>$<base64 hash>` hash (Django's `ScryptPasswordHasher` layout). */
export interface ScryptHash extends ScryptParameters {
  readonly salt: string;
  readonly hash: Buffer;
}

/** Derived key lengths accepted from stored hashes, in bytes (Django writes 64). */
export const minScryptKeyLength = 16;
export const maxScryptKeyLength = 256;

/** Largest accepted block size `r`; OpenSSL's own bound is far beyond anything sane. */
const maxBlockSize = 64;

/** Whether the parameters are valid for scrypt and within `limits`. */
export function scryptParametersAllowed(parameters: ScryptParameters, limits: ScryptLimits): boolean {
  const { cost, blockSize, parallelization } = parameters;
  const powerOfTwo = Number.isSafeInteger(cost) && cost > 1 && (cost & (cost - 1)) === 0;
  return (
    powerOfTwo &&
    Number.isSafeInteger(blockSize) &&
    blockSize >= 1 &&
    blockSize <= maxBlockSize &&
    Number.isSafeInteger(parallelization) &&
    parallelization >= 1 &&
    parallelization <= limits.maxParallelization &&
    scryptMemoryOf(parameters) <= limits.maxMemory
  );
}

/**
 * Parses a stored scrypt hash; `null` when it is not one, is malformed, or exceeds `limits`.
 * The layout is Django's, so hashes move between a Django project and this package both ways.
 */
export function parseScryptHash(encoded: string, limits: ScryptLimits): ScryptHash | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, costText = '', salt = '', blockSizeText = '', parallelizationText = '', hashText = ''] = parts;
  // Parsed with loose bounds first; scryptParametersAllowed applies the real ones.
  const cost = parseBoundedInteger(costText, 2 ** 30);
  const blockSize = parseBoundedInteger(blockSizeText, maxBlockSize);
  const parallelization = parseBoundedInteger(parallelizationText, limits.maxParallelization);
  const hash = decodeBase64(hashText);
  if (cost === null || blockSize === null || parallelization === null || hash === null) return null;
  if (!isUsableSalt(salt) || hash.length < minScryptKeyLength || hash.length > maxScryptKeyLength)
    return null;
  const parameters = { cost, blockSize, parallelization };
  return scryptParametersAllowed(parameters, limits) ? { ...parameters, salt, hash } : null;
}

/** Formats a hash in the layout `parseScryptHash` reads. */
export function formatScryptHash(stored: ScryptHash): string {
  const { cost, salt, blockSize, parallelization, hash } = stored;
  return `scrypt$${cost}$${salt}$${blockSize}$${parallelization}$${hash.toString('base64')}`;
}
