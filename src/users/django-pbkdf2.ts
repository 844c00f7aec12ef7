import { bytesEqual, decodeBase64, isUsableSalt, parseBoundedInteger, pbkdf2Async } from './kdf.js';

/** Django's PBKDF2 hashers: algorithm name → HMAC digest and its output size (Django's `dklen`). */
const djangoPbkdf2Digests = {
  pbkdf2_sha256: { digest: 'sha256', keyLength: 32 },
  pbkdf2_sha1: { digest: 'sha1', keyLength: 20 },
} as const;

type DjangoPbkdf2Algorithm = keyof typeof djangoPbkdf2Digests;

/** A parsed `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` (or `pbkdf2_sha1$…`) Django hash. */
export interface DjangoPbkdf2Hash {
  readonly algorithm: DjangoPbkdf2Algorithm;
  readonly iterations: number;
  readonly salt: string;
  readonly hash: Buffer;
}

function isDjangoPbkdf2Algorithm(name: string): name is DjangoPbkdf2Algorithm {
  return Object.hasOwn(djangoPbkdf2Digests, name);
}

/**
 * Parses a Django PBKDF2 hash; `null` when it is not one, is malformed, or asks for more than
 * `maxIterations` (a hostile stored hash must not buy unbounded CPU time).
 */
export function parseDjangoPbkdf2(encoded: string, maxIterations: number): DjangoPbkdf2Hash | null {
  const parts = encoded.split('$');
  if (parts.length !== 4) return null;
  const [algorithm = '', iterationsText = '', salt = '', hashText = ''] = parts;
  if (!isDjangoPbkdf2Algorithm(algorithm) || !isUsableSalt(salt)) return null;
  const iterations = parseBoundedInteger(iterationsText, maxIterations);
  const hash = decodeBase64(hashText);
  // Django derives exactly the digest size, so any other length can never match.
  if (iterations === null || hash === null || hash.length !== djangoPbkdf2Digests[algorithm].keyLength) {
    return null;
  }
  return { algorithm, iterations, salt, hash };
}

/** Recomputes PBKDF2 over `password` (UTF-8, as Django's `force_bytes`) and compares in constant time. */
export async function verifyDjangoPbkdf2(password: string, stored: DjangoPbkdf2Hash): Promise<boolean> {
  const { digest, keyLength } = djangoPbkdf2Digests[stored.algorithm];
  const derived = await pbkdf2Async(password, stored.salt, stored.iterations, keyLength, digest);
  return bytesEqual(derived, stored.hash);
}
