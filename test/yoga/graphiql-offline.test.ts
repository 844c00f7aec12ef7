import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createExampleApp } from '../../examples/yoga/app.js';
import { connectFreshDatabase } from '../support/database.js';
import { type ListeningServer, listen } from './listen.js';

// GraphiQL on the Yoga example must work without internet access: everything its page loads comes
// from the page itself or from the same server, nothing from a CDN.
const connection = await connectFreshDatabase('graphiql_offline');
const { yoga } = createExampleApp({ connection, settings: { signingKey: randomBytes(64) } });
const cdnHosts = ['unpkg.com', 'cdn.jsdelivr.net', 'cdnjs.cloudflare.com', 'esm.sh', 'fonts.googleapis.com'];

let server: ListeningServer;
beforeAll(async () => {
  server = await listen(yoga);
});
afterAll(async () => {
  await server.close();
});

/** Every URL the page's markup and styles load: src and href attributes, CSS url() and @import. */
function assetUrls(html: string, base: string): URL[] {
  // Inline scripts are code, not markup: a URL in a string there is not an asset of the page.
  const markup = html.replace(/<script\b([^>]*)>[\s\S]*?<\/script>/gi, '<script$1></script>');
  const patterns = [
    /\s(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi,
    /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]+))\s*\)/gi,
    /@import\s+(?:"([^"]*)"|'([^']*)')/gi,
  ];
  return patterns.flatMap((pattern) =>
    [...markup.matchAll(pattern)].map((match) => new URL(match[1] ?? match[2] ?? match[3] ?? '', base)),
  );
}

it('serves GraphiQL whose scripts, styles and icons are inline or same-origin, and answer 200', async () => {
  const page = await fetch(server.url, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('renderYogaGraphiQL');
  for (const host of cdnHosts) expect(html).not.toContain(host);

  const origin = new URL(server.url).origin;
  const assets = assetUrls(html, server.url);
  for (const asset of assets) {
    const sameOriginOrInline = ['data:', 'blob:'].includes(asset.protocol) || asset.origin === origin;
    expect(sameOriginOrInline, asset.href.slice(0, 100)).toBe(true);
  }
  for (const asset of assets.filter((url) => url.origin === origin)) {
    expect((await fetch(asset)).status, asset.href).toBe(200);
  }
});
