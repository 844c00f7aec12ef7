import { createPublicKey, type KeyObject } from 'node:crypto';
import type { SigningKey } from 'jwks-rsa';
import type { Clock } from '../clock.js';
import type { Algorithm } from '../settings.js';
import { asymmetricKeyProblem } from './algorithms.js';
import { loadJwksRsa } from './load-jwks-rsa.js';
import { TokenBackendError } from './token-backend.js';

/** Verification keys from a JWKS endpoint, selected by the token header's `kid`. */
export interface JwksKeyResolver {
  /** The key for `kid` if already fetched and still fresh; never does I/O. */
  cached(kid: string | undefined): KeyObject | undefined;
  /**
   * The key for `kid`, fetched (rate-limited) when not cached.
   * @throws TokenBackendError when the endpoint fails, has no such key, or the key does not fit the algorithm.
   */
  fetch(kid: string | undefined): Promise<KeyObject>;
}

/** Tuning of the JWKS client; the defaults suit a per-request path. */
export interface JwksOptions {
  /** How long a fetched key is trusted before the endpoint is asked again (ms). @default 600000 */
  readonly cacheMaxAgeMs?: number;
  /** Distinct `kid`s kept. @default 16 */
  readonly cacheMaxEntries?: number;
  /** Endpoint requests allowed per minute, so unknown `kid`s cannot flood it. @default 10 */
  readonly requestsPerMinute?: number;
  /** Request timeout (ms). @default 5000 */
  readonly timeoutMs?: number;
}

interface CachedKey {
  readonly key: KeyObject;
  readonly expiresAt: number;
}

/**
 * A resolver over jwks-rsa's `JwksClient` (which caches, rate-limits and de-duplicates fetches), that
 * keeps each key as a checked `KeyObject` so a cached key costs no parsing per request.
 * @throws ImproperlyConfiguredError when jwks-rsa (an optional peer dependency) is not installed.
 */
export function createJwksKeyResolver(
  jwkUrl: string,
  algorithm: Algorithm,
  now: Clock,
  options: JwksOptions = {},
): JwksKeyResolver {
  const { cacheMaxAgeMs = 600_000, cacheMaxEntries = 16, requestsPerMinute = 10, timeoutMs = 5000 } = options;
  const { JwksClient } = loadJwksRsa();
  const client = new JwksClient({
    jwksUri: jwkUrl,
    cache: true,
    cacheMaxAge: cacheMaxAgeMs,
    cacheMaxEntries,
    rateLimit: true,
    jwksRequestsPerMinute: requestsPerMinute,
    timeout: timeoutMs,
  });
  const keys = new Map<string | undefined, CachedKey>();

  function cached(kid: string | undefined): KeyObject | undefined {
    const entry = keys.get(kid);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now().getTime()) return entry.key;
    keys.delete(kid);
    return undefined;
  }

  async function fetch(kid: string | undefined): Promise<KeyObject> {
    const hit = cached(kid);
    if (hit) return hit;
    let signingKey: SigningKey;
    try {
      signingKey = await client.getSigningKey(kid);
    } catch (error) {
      throw new TokenBackendError(`JWKS key lookup failed: ${(error as Error).message}`, { cause: error });
    }
    // jwks-rsa's typing says `alg` is always there; it is only when the JWK names one.
    const declaredAlgorithm: string | undefined = signingKey.alg;
    if (declaredAlgorithm !== undefined && declaredAlgorithm !== algorithm) {
      throw new TokenBackendError(`JWKS key is for ${declaredAlgorithm}, not ${algorithm}`);
    }
    const key = createPublicKey(signingKey.getPublicKey());
    const problem = asymmetricKeyProblem(key, algorithm);
    if (problem) throw new TokenBackendError(`JWKS key refused: ${problem}`);
    if (keys.size >= cacheMaxEntries) keys.delete(keys.keys().next().value);
    keys.set(kid, { key, expiresAt: now().getTime() + cacheMaxAgeMs });
    return key;
  }

  return { cached, fetch };
}
