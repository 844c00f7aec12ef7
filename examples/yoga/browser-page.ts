import { readFileSync } from 'node:fs';
import type { Plugin } from 'graphql-yoga';

const page = (name: string) => readFileSync(new URL(`../browser/${name}`, import.meta.url), 'utf8');

/**
 * Serves the example web client (examples/browser) at `/` from the GraphQL server's own origin, so the
 * page needs no CORS at all. Read once, when the app is created.
 */
export function useBrowserPage(): Plugin {
  const files: Record<string, { body: string; type: string }> = {
    '/': { body: page('index.html'), type: 'text/html; charset=utf-8' },
    '/app.js': { body: page('app.js'), type: 'text/javascript; charset=utf-8' },
  };
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      const file = request.method === 'GET' ? files[url.pathname] : undefined;
      if (!file) return;
      endResponse(
        new fetchAPI.Response(file.body, {
          headers: {
            'content-type': file.type,
            // The page runs only its own script: an injected inline script cannot run or read the token.
            'content-security-policy':
              "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            'x-content-type-options': 'nosniff',
            'cache-control': 'no-store',
          },
        }),
      );
    },
  };
}
