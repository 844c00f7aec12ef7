import { randomBytes } from 'node:crypto';
import { startStandaloneServer } from '@apollo/server/standalone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApolloExample } from '../../examples/apollo/app.js';
import { createScryptPasswordHasher, createUser, insecureTestScryptOptions } from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { testClock } from '../support/token-fixture.js';
import { expectCookieSet, post, postJson, setCookieOf } from './cookie-client.js';

// The Apollo example with the refresh cookie on, on Apollo Server 5's standalone server.
const connection = await connectFreshDatabase('apollo_cookie');
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const { server, jwt, User } = createApolloExample({
  connection,
  settings: {
    signingKey: randomBytes(64),
    rotateRefreshTokens: true,
    blacklistAfterRotation: true,
  },
  passwordHasher: hasher,
  // A fixed clock: Max-Age is the token's remaining lifetime, whole seconds of this clock.
  now: testClock(Math.floor(Date.now() / 1000)),
  refreshCookie: { secure: false, path: '/' },
});
await createUser(User, { username: 'demo', password: 'demo-password' }, hasher);

const login = 'mutation { tokenObtainPair(username: "demo", password: "demo-password") { access refresh } }';
const refreshFromCookie = 'mutation { tokenRefresh { access refresh } }';
const logoutFromCookie = 'mutation { tokenBlacklist { blacklisted } }';
let url: string;

beforeAll(async () => {
  ({ url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: jwt.apolloContext,
  }));
});
afterAll(async () => {
  await server.stop();
});

async function loggedIn() {
  const response = await postJson(url, login);
  expect(response.json.errors).toBeUndefined();
  expect(response.json.data?.['tokenObtainPair']?.['refresh']).toBeNull();
  return expectCookieSet(response);
}

describe('the refresh cookie on Apollo Server', () => {
  it('is set at login, rotated by tokenRefresh and deleted by tokenBlacklist', async () => {
    const { cookie, value } = await loggedIn();
    const refreshed = await postJson(url, refreshFromCookie, { cookie });
    expect(refreshed.json.data?.['tokenRefresh']).toEqual({ access: expect.any(String), refresh: null });
    const next = expectCookieSet(refreshed);
    expect(next.value).not.toBe(value);
    expect(setCookieOf(refreshed)?.attributes).toEqual([
      'Max-Age=86400',
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
    ]);

    const loggedOut = await postJson(url, logoutFromCookie, { cookie: next.cookie });
    expect(loggedOut.json.data?.['tokenBlacklist']).toEqual({ blacklisted: true });
    expect(setCookieOf(loggedOut)).toEqual({
      value: '',
      attributes: ['Max-Age=0', 'Path=/', 'HttpOnly', 'SameSite=Strict'],
    });
    const after = await postJson(url, refreshFromCookie, { cookie: next.cookie });
    expect(after.json.errors?.[0]?.message).toBe('Token is blacklisted');

    // The cookie rotated away earlier, presented again: refused as a reused refresh token.
    const replayed = await postJson(url, refreshFromCookie, { cookie });
    expect(replayed.json.errors?.[0]).toMatchObject({
      message: 'Token is blacklisted',
      extensions: { reason: 'REFRESH_TOKEN_REUSED' },
    });
  });

  it.each([
    ['application/x-www-form-urlencoded', (query: string) => new URLSearchParams({ query }).toString()],
    ['text/plain', (query: string) => JSON.stringify({ query })],
    [
      'multipart/form-data; boundary=x',
      (query: string) => `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${query}\r\n--x--\r\n`,
    ],
  ])('refuses a form-style %s POST carrying the cookie', async (contentType, body) => {
    const { cookie, value } = await loggedIn();
    for (const query of [refreshFromCookie, logoutFromCookie]) {
      const response = await post(url, { 'content-type': contentType, cookie }, body(query));
      expect(response.status).toBe(400);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    const refreshed = await postJson(url, refreshFromCookie, { cookie });
    expect(refreshed.json.errors).toBeUndefined();
    expect(expectCookieSet(refreshed).value).not.toBe(value);
  });

  it('refuses mutations over GET', async () => {
    const { cookie } = await loggedIn();
    const response = await fetch(`${url}?query=${encodeURIComponent(refreshFromCookie)}`, {
      headers: { cookie, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});
