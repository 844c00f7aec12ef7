import type { KeyMaterial } from '../../src/settings.js';
import { createSimpleJwt } from '../../src/simple-jwt.js';

/** An async per-request path measured against the verify floor. */
export interface TokenPath {
  readonly name: string;
  run(): Promise<unknown>;
}

/**
 * The HS256 per-request paths above the backend: the token class (`AccessToken.fromString`: decode,
 * then exp/jti/type checks) and the whole stateless `authenticate` (header parsing, token classes,
 * TokenUser), without and with the verified-token cache.
 */
export function tokenPathsFor(signingKey: KeyMaterial | undefined, token: string): TokenPath[] {
  const settings = { signingKey, accessTokenLifetime: 3600 };
  const stateless = createSimpleJwt({ settings, userLookup: 'stateless', accessTokenCacheSize: 0 });
  const cached = createSimpleJwt({ settings, userLookup: 'stateless', accessTokenCacheSize: 10_000 });
  const authorization = `Bearer ${token}`;
  return [
    { name: 'AccessToken.fromString', run: () => stateless.tokens.AccessToken.fromString(token) },
    { name: 'authenticate (stateless, no cache)', run: () => stateless.authenticate({ authorization }) },
    { name: 'authenticate (stateless, cache hit)', run: () => cached.authenticate({ authorization }) },
  ];
}
