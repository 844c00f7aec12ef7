import type { KeyMaterial } from '../../src/settings.js';
import { createSimpleJwt } from '../../src/simple-jwt.js';

/** A per-request path measured against the verify floor. */
export type TokenPath =
  | { readonly name: string; readonly kind: 'async'; run(): Promise<unknown> }
  | { readonly name: string; readonly kind: 'sync'; run(): unknown };

/**
 * The HS256 per-request paths above the backend: the token class (`AccessToken.fromString`: decode,
 * then exp/jti/type checks) and the whole stateless `authenticate` (header parsing, token classes,
 * TokenUser), without and with the verified-token cache, through the promise API and through
 * `yogaContext`, which answers without a promise when no I/O is needed.
 */
export function tokenPathsFor(signingKey: KeyMaterial | undefined, token: string): TokenPath[] {
  const settings = { signingKey, accessTokenLifetime: 3600 };
  const stateless = createSimpleJwt({ settings, userLookup: 'stateless', accessTokenCacheSize: 0 });
  const cached = createSimpleJwt({ settings, userLookup: 'stateless', accessTokenCacheSize: 10_000 });
  const authorization = `Bearer ${token}`;
  const yogaInput = {
    request: { headers: { get: (name: string) => (name === 'authorization' ? authorization : null) } },
  };
  return [
    {
      name: 'AccessToken.fromString',
      kind: 'async',
      run: () => stateless.tokens.AccessToken.fromString(token),
    },
    {
      name: 'AccessToken.fromStringSync',
      kind: 'sync',
      run: () => stateless.tokens.AccessToken.fromStringSync(token),
    },
    {
      name: 'authenticate (stateless, no cache)',
      kind: 'async',
      run: () => stateless.authenticate({ authorization }),
    },
    {
      name: 'yogaContext (stateless, no cache: no promise)',
      kind: 'sync',
      run: () => stateless.yogaContext(yogaInput),
    },
    {
      name: 'authenticate (stateless, cache hit)',
      kind: 'async',
      run: () => cached.authenticate({ authorization }),
    },
    {
      name: 'yogaContext (stateless, cache hit: no promise)',
      kind: 'sync',
      run: () => cached.yogaContext(yogaInput),
    },
  ];
}
