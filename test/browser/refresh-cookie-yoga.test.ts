import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleApp } from '../../examples/yoga/app.js';
import { createScryptPasswordHasher, createUser, insecureTestScryptOptions } from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { testClock } from '../support/token-fixture.js';
import { type ListeningServer, listen } from '../yoga/listen.js';
import { expectCookieSet, post, postJson, setCookieOf } from './cookie-client.js';

// The example server with the refresh cookie on (as `SIMPLE_JWT_REFRESH_COOKIE=true npm start`), over HTTP.
const clock = testClock(Math.floor(Date.now() / 1000));
const connection = await connectFreshDatabase('yoga_cookie');
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const { yoga, User } = createExampleApp({
  connection,
  settings: {
    signingKey: randomBytes(64).toString('base64url'),
    rotateRefreshTokens: true,
    blacklistAfterRotation: true,
    authTokenClasses: ['access', 'sliding'],
    slidingTokenRefreshLifetime: '2h',
  },
  passwordHasher: hasher,
  now: clock,
  refreshCookie: { secure: false },
  corsOrigins: ['http://app.example.test'],
});
await createUser(User, { username: 'demo', password: 'demo-password' }, hasher);

const login = 'mutation { tokenObtainPair(username: "demo", password: "demo-password") { access refresh } }';
const refreshFromCookie = 'mutation { tokenRefresh { access refresh } }';
const logoutFromCookie = 'mutation { tokenBlacklist { blacklisted } }';

let server: ListeningServer;
beforeAll(async () => {
  server = await listen(yoga);
});
afterAll(async () => {
  await server.close();
});

async function loggedIn() {
  const response = await postJson(server.url, login);
  expect(response.json.errors).toBeUndefined();
  return { response, ...expectCookieSet(response) };
}

describe('the refresh cookie on Yoga', () => {
  it('is set by tokenObtainPair, HttpOnly and SameSite=Strict for the refresh lifetime, and kept out of the body', async () => {
    const { response, value } = await loggedIn();
    expect(setCookieOf(response)?.attributes).toEqual([
      'Max-Age=86400',
      'Path=/graphql',
      'HttpOnly',
      'SameSite=Strict',
    ]);
    expect(value.split('.')).toHaveLength(3);
    const pair = response.json.data?.['tokenObtainPair'];
    expect(pair?.['refresh']).toBeNull();
    const me = await postJson(server.url, '{ me { username } }', {
      authorization: `Bearer ${pair?.['access']}`,
    });
    expect(me.json.data?.['me']).toEqual({ username: 'demo' });
  });

  it('lets tokenRefresh read the cookie, rotate it, and refuse the rotated-out one (revoking its session)', async () => {
    const { cookie, value } = await loggedIn();
    const refreshed = await postJson(server.url, refreshFromCookie, { cookie });
    expect(refreshed.json.errors).toBeUndefined();
    expect(refreshed.json.data?.['tokenRefresh']).toEqual({ access: expect.any(String), refresh: null });
    const next = expectCookieSet(refreshed);
    expect(next.value).not.toBe(value);
    expect(setCookieOf(refreshed)?.attributes).toContain('Max-Age=86400');

    const replayed = await postJson(server.url, refreshFromCookie, { cookie });
    expect(replayed.status).toBe(401);
    expect(replayed.json.errors?.[0]).toMatchObject({
      message: 'Token is blacklisted',
      extensions: { code: 'TOKEN_NOT_VALID', reason: 'REFRESH_TOKEN_REUSED' },
    });
    expect(setCookieOf(replayed)).toBeUndefined();
    // A replayed refresh token means two parties hold the session: the newer cookie dies with it.
    const again = await postJson(server.url, refreshFromCookie, { cookie: next.cookie });
    expect(again.status).toBe(401);
    expect(again.json.errors?.[0]?.message).toBe('Token family has been revoked');
  });

  it('answers a token given as the argument in the body and leaves the cookie alone', async () => {
    const { value } = await loggedIn();
    const refreshed = await postJson(
      server.url,
      `mutation { tokenRefresh(refresh: "${value}") { access refresh } }`,
    );
    expect(refreshed.json.data?.['tokenRefresh']?.['refresh']).toEqual(expect.any(String));
    expect(setCookieOf(refreshed)).toBeUndefined();
  });

  it('refuses a refresh without argument and without cookie', async () => {
    const refused = await postJson(server.url, refreshFromCookie);
    expect(refused.status).toBe(401);
    expect(refused.json.errors?.[0]).toMatchObject({
      message: 'No token was given: pass it as the argument, or send the refresh cookie',
      extensions: { code: 'TOKEN_NOT_VALID' },
    });
  });

  it('lets tokenBlacklist read the cookie, blacklist its token and delete it', async () => {
    const { cookie } = await loggedIn();
    const loggedOut = await postJson(server.url, logoutFromCookie, { cookie });
    expect(loggedOut.json.data?.['tokenBlacklist']).toEqual({ blacklisted: true });
    expect(setCookieOf(loggedOut)).toEqual({
      value: '',
      attributes: ['Max-Age=0', 'Path=/graphql', 'HttpOnly', 'SameSite=Strict'],
    });
    const refused = await postJson(server.url, refreshFromCookie, { cookie });
    expect(refused.json.errors?.[0]?.message).toBe('Token is blacklisted');
    // Logging out again with the dead cookie still deletes it.
    const again = await postJson(server.url, logoutFromCookie, { cookie });
    expect(again.json.errors?.[0]?.message).toBe('Token is blacklisted');
    expect(setCookieOf(again)?.attributes).toContain('Max-Age=0');
  });

  it('deletes the cookie when a session mutation ends the caller’s own session, not another one', async () => {
    const mine = await loggedIn();
    const other = await loggedIn();
    const bearer = { authorization: `Bearer ${mine.response.json.data?.['tokenObtainPair']?.['access']}` };
    const sessions = await postJson(server.url, '{ tokenSessions { id current } }', bearer);
    const list = (sessions.json.data?.['tokenSessions'] ?? []) as { id: string; current: boolean }[];
    const current = list.find((session) => session.current)?.id;
    // The other login's session, by the family id its refresh cookie carries (earlier tests in this
    // file logged the same user in too).
    const otherId = JSON.parse(Buffer.from(other.value.split('.')[1] ?? '', 'base64url').toString())['fam'];
    expect(current).toEqual(expect.any(String));
    expect(list.map((session) => session.id)).toContain(otherId);
    expect(otherId).not.toBe(current);

    const revokeOther = await postJson(
      server.url,
      `mutation { tokenRevokeSession(id: "${otherId}") { revoked } }`,
      bearer,
    );
    expect(revokeOther.json.data?.['tokenRevokeSession']).toEqual({ revoked: 1 });
    expect(setCookieOf(revokeOther)).toBeUndefined();
    const otherRefused = await postJson(server.url, refreshFromCookie, { cookie: other.cookie });
    expect(otherRefused.json.errors?.[0]?.message).toBe('Token family has been revoked');

    const revokeMine = await postJson(
      server.url,
      `mutation { tokenRevokeSession(id: "${current}") { revoked } }`,
      bearer,
    );
    expect(revokeMine.json.data?.['tokenRevokeSession']).toEqual({ revoked: 1 });
    expect(setCookieOf(revokeMine)?.attributes).toContain('Max-Age=0');

    const again = await loggedIn();
    const all = await postJson(server.url, 'mutation { tokenRevokeAllSessions { revoked } }', {
      authorization: `Bearer ${again.response.json.data?.['tokenObtainPair']?.['access']}`,
    });
    expect(all.json.data?.['tokenRevokeAllSessions']).toEqual({ revoked: expect.any(Number) });
    expect(setCookieOf(all)?.attributes).toContain('Max-Age=0');
  });

  it('sets the cookie for sliding tokens until their refresh deadline and slides it', async () => {
    const obtained = await postJson(
      server.url,
      'mutation { tokenObtainSliding(username: "demo", password: "demo-password") { token } }',
    );
    const token = obtained.json.data?.['tokenObtainSliding']?.['token'];
    const { cookie, value } = expectCookieSet(obtained);
    expect(value).toBe(token);
    expect(setCookieOf(obtained)?.attributes).toContain('Max-Age=7200');
    clock.advance(60);
    const slid = await postJson(server.url, 'mutation { tokenRefreshSliding { token } }', { cookie });
    expect(slid.json.errors).toBeUndefined();
    expect(expectCookieSet(slid).value).toBe(slid.json.data?.['tokenRefreshSliding']?.['token']);
    expect(setCookieOf(slid)?.attributes).toContain('Max-Age=7140');
  });
});

describe('cross-site requests carrying the cookie', () => {
  const formBodies: [string, () => { headers: Record<string, string>; body: BodyInit }][] = [
    [
      'application/x-www-form-urlencoded',
      () => ({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: refreshFromCookie }).toString(),
      }),
    ],
    [
      'text/plain',
      () => ({
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ query: refreshFromCookie }),
      }),
    ],
    [
      'multipart/form-data',
      () => {
        const form = new FormData();
        form.set('operations', JSON.stringify({ query: refreshFromCookie }));
        form.set('map', '{}');
        return { headers: {}, body: form };
      },
    ],
  ];

  it.each(formBodies)('a form-style %s POST neither refreshes nor logs out', async (_type, make) => {
    const { cookie, value } = await loggedIn();
    for (const query of [refreshFromCookie, logoutFromCookie]) {
      const { headers, body } = make();
      const text = typeof body === 'string' ? body.replace(refreshFromCookie, query) : body;
      if (body instanceof FormData) body.set('operations', JSON.stringify({ query }));
      const response = await post(
        server.url,
        { ...headers, cookie, origin: 'http://evil.example.test' },
        text,
      );
      expect(response.status).toBe(403);
      expect(response.json.errors?.[0]?.message).toBe('Required CSRF header(s) not present');
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    // The cookie is neither rotated nor blacklisted: it still refreshes once.
    const refreshed = await postJson(server.url, refreshFromCookie, { cookie });
    expect(refreshed.json.errors).toBeUndefined();
    expect(expectCookieSet(refreshed).value).not.toBe(value);
  });

  it('refuses mutations over GET', async () => {
    const { cookie } = await loggedIn();
    const url = `${server.url}?query=${encodeURIComponent(refreshFromCookie)}`;
    const response = await fetch(url, { headers: { cookie, 'x-graphql-yoga-csrf': '1' } });
    expect(response.status).toBe(405);
    expect(response.headers.getSetCookie()).toEqual([]);
    const refreshed = await postJson(server.url, refreshFromCookie, { cookie });
    expect(refreshed.json.errors).toBeUndefined();
  });

  it('grants CORS with credentials to listed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(server.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const listed = await preflight('http://app.example.test');
    expect(listed.headers.get('access-control-allow-origin')).toBe('http://app.example.test');
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    for (const origin of ['http://evil.example.test', 'http://app.example.test:8080', 'null']) {
      const other = await preflight(origin);
      expect(other.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(other.headers.get('access-control-allow-credentials'), origin).toBeNull();
    }
    const { cookie } = await loggedIn();
    const answered = await postJson(server.url, '{ __typename }', {
      cookie,
      origin: 'http://evil.example.test',
    });
    expect(answered.headers.get('access-control-allow-origin')).toBeNull();
  });
});
