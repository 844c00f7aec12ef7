import type { YogaServerOptions } from 'graphql-yoga';

type CorsOption = NonNullable<YogaServerOptions<object, object>['cors']>;

/**
 * CORS for a server that reads a cookie: credentials only for the listed origins, and no CORS headers
 * at all for any other origin (so its browser refuses the preflight and never sends the request).
 * Yoga's default would answer every origin with `Access-Control-Allow-Credentials: true`, letting a
 * page on any other origin of the same site (another port, a sibling subdomain) refresh with the cookie.
 */
export function credentialedCors(origins: readonly string[]): CorsOption {
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !origins.includes(origin)) return false;
    return {
      origin: [origin],
      credentials: true,
      methods: ['POST'],
      allowedHeaders: ['content-type', 'authorization'],
    };
  };
}
