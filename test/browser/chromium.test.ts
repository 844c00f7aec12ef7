import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleApp } from '../../examples/yoga/app.js';
import { createScryptPasswordHasher, createUser, insecureTestScryptOptions } from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { type ListeningServer, listen } from '../yoga/listen.js';
import { postJson } from './cookie-client.js';

// The example web client (examples/browser) in headless Chromium against the example server with the
// refresh cookie on. Debian's `chromium` package; .ci/run installs it, so in CI these tests always run.
const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
if (!haveChromium && process.env['CI'] !== 'true') {
  console.warn(
    `Skipping the real-browser tests: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH).`,
  );
}

const connection = await connectFreshDatabase('chromium');

describe.skipIf(!haveChromium && process.env['CI'] !== 'true')('the web client in Chromium', () => {
  let app: ListeningServer;
  let otherOrigin: Server;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let origin: string;

  beforeAll(async () => {
    const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
    const { yoga, User } = createExampleApp({
      connection,
      // Short-lived access tokens, so the page refreshes within seconds; the page refreshes at half-life.
      settings: {
        signingKey: randomBytes(64).toString('base64url'),
        accessTokenLifetime: 10,
        rotateRefreshTokens: true,
        blacklistAfterRotation: true,
      },
      passwordHasher: hasher,
      // Path '/': document.cookie on the page would show the cookie, were it not HttpOnly.
      refreshCookie: { secure: false, path: '/' },
    });
    await createUser(User, { username: 'demo', password: 'demo-password' }, hasher);
    app = await listen(yoga);
    origin = `http://127.0.0.1:${app.port}`;
    otherOrigin = await serveOtherOrigin(`${origin}/graphql`);
    userDataDir = mkdtempSync(join(tmpdir(), 'simple-jwt-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => otherOrigin?.close(resolve));
    await app?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  const view = (name: 'login' | 'session') => page.waitForSelector(`body[data-view="${name}"]`);
  const refreshCookie = async () =>
    (await context.cookies(origin)).find((cookie) => cookie.name === 'refresh_token');
  const verify = async (token: string) =>
    (await postJson(`${origin}/graphql`, `mutation { tokenVerify(token: "${token}") { valid } }`)).json;

  it('logs in and keeps the refresh token in an HttpOnly cookie that scripts cannot read', async () => {
    await page.goto(`${origin}/`);
    await view('login');
    await page.fill('input[name="password"]', 'demo-password');
    await page.click('button[type="submit"]');
    await view('session');
    expect(await page.textContent('#username')).toBe('demo');

    const cookie = await refreshCookie();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
    expect(cookie?.value.split('.')).toHaveLength(3);
    const visible = await page.evaluate(() => ({
      cookie: document.cookie,
      stored: localStorage.length + sessionStorage.length,
    }));
    expect(visible).toEqual({ cookie: '', stored: 0 });
  });

  it('refreshes the access token silently before it expires, rotating the cookie', async () => {
    const before = (await refreshCookie())?.value ?? '';
    await page.waitForSelector('body[data-refreshes]', { timeout: 45_000 });
    expect(await page.getAttribute('body', 'data-late-refreshes')).toBe('0');
    expect(await page.getAttribute('body', 'data-view')).toBe('session');
    const after = (await refreshCookie())?.value;
    expect(after).not.toBe(before);
    expect((await verify(before)).errors?.[0]?.message).toBe('Token is blacklisted');
  });

  it('keeps the session across a reload through the cookie', async () => {
    await page.reload();
    await view('session');
    expect(await page.textContent('#username')).toBe('demo');
  });

  it('does not let a page on another origin (another port) refresh or log out with the cookie', async () => {
    await page.goto('about:blank'); // no refresh of our own meanwhile
    const before = (await refreshCookie())?.value ?? '';
    const attacker = await context.newPage();
    await attacker.goto(`http://127.0.0.1:${(otherOrigin.address() as AddressInfo).port}/`);
    await attacker.waitForSelector('body[data-done]', { timeout: 30_000 });
    const outcome = JSON.parse((await attacker.getAttribute('body', 'data-done')) ?? '{}');
    // The credentialed JSON request dies at the preflight; the form-style ones are sent but refused.
    expect(outcome).toEqual({ json: 'blocked', noCors: 'sent', form: 'sent' });
    await attacker.close();
    expect((await refreshCookie())?.value).toBe(before);
    expect((await verify(before)).data?.['tokenVerify']).toEqual({ valid: true });
  });

  it('logs out: the cookie is deleted and its refresh token blacklisted', async () => {
    await page.goto(`${origin}/`);
    await view('session');
    const logoutRequest = page.waitForRequest(
      (request) => request.postData()?.includes('tokenBlacklist') ?? false,
    );
    await page.click('#logout');
    const sent = (await (await logoutRequest).allHeaders())['cookie'] ?? '';
    const token = /refresh_token=([^;]+)/.exec(sent)?.[1] ?? '';
    await view('login');
    expect(await refreshCookie()).toBeUndefined();
    expect((await verify(token)).errors?.[0]?.message).toBe('Token is blacklisted');
    await page.reload();
    await view('login');
  });
});

/** A page on another origin of the same site that tries the cookie-carrying mutations three ways. */
async function serveOtherOrigin(endpoint: string): Promise<Server> {
  const refresh = JSON.stringify({ query: 'mutation { tokenRefresh { access } }' });
  const logout = JSON.stringify({ query: 'mutation { tokenBlacklist { blacklisted } }' });
  const html = `<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="form" method="post" enctype="text/plain" target="sink" action="${endpoint}">
  <input name='${logout.slice(0, -2)}' value='"}'>
</form>
<script>
(async () => {
  const outcome = {};
  try {
    await fetch(${JSON.stringify(endpoint)}, { method: 'POST', credentials: 'include',
      headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(refresh)} });
    outcome.json = 'answered';
  } catch { outcome.json = 'blocked'; }
  await fetch(${JSON.stringify(endpoint)}, { method: 'POST', mode: 'no-cors', credentials: 'include',
    headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(refresh)} });
  outcome.noCors = 'sent';
  const frame = document.querySelector('iframe');
  await new Promise((resolve) => { frame.onload = resolve; document.getElementById('form').submit(); });
  outcome.form = 'sent';
  document.body.dataset.done = JSON.stringify(outcome);
})();
</script></body></html>`;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
