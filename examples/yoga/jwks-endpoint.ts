import type { Plugin } from 'graphql-yoga';
import type { JsonWebKeySet } from 'pothos-plugin-simple-jwt';

/** Where verifiers look for the key set (RFC 8414's well-known location, as Auth0 and Keycloak serve it). */
export const jwksPath = '/.well-known/jwks.json';

/**
 * Serves `jwt.jwks()` at `GET /.well-known/jwks.json` when there is something to publish (an
 * asymmetric algorithm); with HMAC the path is an ordinary 404. Verifiers may cache the set for five
 * minutes: a new key is announced by its `kid` (verifiers refetch on an unknown `kid`), and a retired
 * key stays in the set until its tokens have expired, so a cached copy is never wrong for long.
 */
export function useJwksEndpoint(jwt: { jwks(): JsonWebKeySet }): Plugin {
  return {
    onRequest({ url, request, fetchAPI, endResponse }) {
      if (url.pathname !== jwksPath) return;
      const keySet = jwt.jwks();
      if (keySet.keys.length === 0) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      const body = JSON.stringify(keySet);
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
          status: 200,
          headers: {
            'content-type': 'application/json',
            'cache-control': 'public, max-age=300',
            'access-control-allow-origin': '*',
          },
        }),
      );
    },
  };
}
