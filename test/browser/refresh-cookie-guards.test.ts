import { randomBytes } from 'node:crypto';
import { printSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { buildExampleSchema } from '../../examples/yoga/schema.js';
import {
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  createUserModel,
  ImproperlyConfiguredError,
  insecureTestScryptOptions,
  type RefreshCookieOptions,
  refreshCookieFromEnv,
} from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { testClock } from '../support/token-fixture.js';
import { expectCookieSet, type RawResponse, setCookieOf } from './cookie-client.js';

const connection = await connectFreshDatabase('cookie_guards');
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const User = createUserModel(connection);
await createUser(User, { username: 'demo', password: 'demo-password' }, hasher);
const signingKey = randomBytes(64);
const login = 'mutation { tokenObtainPair(username: "demo", password: "demo-password") { access refresh } }';

/** A bare Yoga server (no CSRF prevention plugin), with or without the plugin that writes the cookie. */
function bareYoga(refreshCookie: RefreshCookieOptions, { withPlugin = true, batching = false } = {}) {
  const jwt = createSimpleJwt({
    settings: { signingKey },
    connection,
    userModel: User,
    passwordHasher: hasher,
    refreshCookie,
    warn: () => undefined,
    // A fixed clock: Max-Age is the token's remaining lifetime, whole seconds of this clock.
    now: testClock(Math.floor(Date.now() / 1000)),
  });
  const yoga = createYoga({
    schema: buildExampleSchema(jwt),
    context: jwt.yogaContext,
    plugins: withPlugin ? [jwt.yogaPlugin] : [],
    batching,
    logging: false,
  });
  const send = async (
    query: string,
    headers: Record<string, string> = {},
    host = '127.0.0.1:4000',
    body: BodyInit = JSON.stringify({ query }),
  ): Promise<RawResponse> => {
    const response = await yoga.fetch(`http://${host}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
  };
  return { yoga, send };
}

describe('refresh cookie guards', () => {
  it('does not read the cookie from a form-style request even without the server’s CSRF prevention', async () => {
    const { yoga, send } = bareYoga({ secure: false });
    const { cookie } = expectCookieSet(await send(login));
    const query = 'mutation { tokenRefresh { access } }';
    const formStyle: [string, BodyInit][] = [
      ['application/x-www-form-urlencoded', new URLSearchParams({ query }).toString()],
      ['text/plain', JSON.stringify({ query })],
    ];
    for (const [contentType, body] of formStyle) {
      const refused = await send(query, { 'content-type': contentType, cookie }, undefined, body);
      expect(refused.json.data?.['tokenRefresh'] ?? null, contentType).toBeNull();
      expect(refused.headers.getSetCookie()).toEqual([]);
    }
    // What a form with enctype="multipart/form-data" sends reaches the resolver: the cookie stays unread.
    const form = new FormData();
    form.set('operations', JSON.stringify({ query }));
    form.set('map', '{}');
    const multipart = await yoga.fetch('http://127.0.0.1:4000/graphql', {
      method: 'POST',
      headers: { cookie },
      body: form,
    });
    expect(((await multipart.json()) as { errors?: { message: string }[] }).errors?.[0]?.message).toBe(
      'No token was given: pass it as the argument, or send the refresh cookie',
    );
    const accepted = await send('mutation { tokenRefresh { access } }', { cookie });
    expect(accepted.json.errors).toBeUndefined();
  });

  it('sets the cookie from one operation of a batched request', async () => {
    const { yoga } = bareYoga({ secure: false }, { batching: true });
    const response = await yoga.fetch('http://127.0.0.1:4000/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: login }, { query: '{ whoami { id } }' }]),
    });
    expect(response.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^refresh_token=\S+; Max-Age=86400;/),
    ]);
  });

  it('fails closed, with no token in the body, when no plugin writes the cookie', async () => {
    const { send } = bareYoga({}, { withPlugin: false });
    const response = await send(login);
    expect(response.json.data?.['tokenObtainPair']).toBeNull();
    expect(response.json.errors?.[0]?.message).toBe('Unexpected error.');
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('marks the cookie Secure by default, and with secure: false for non-loopback hosts', async () => {
    const secure = bareYoga({});
    expect(setCookieOf(await secure.send(login))?.attributes).toContain('Secure');
    const insecure = bareYoga({ secure: false });
    expect(setCookieOf(await insecure.send(login, {}, 'localhost:4000'))?.attributes).not.toContain('Secure');
    expect(setCookieOf(await insecure.send(login, {}, '[::1]:4000'))?.attributes).not.toContain('Secure');
    expect(setCookieOf(await insecure.send(login, {}, 'api.example.com'))?.attributes).toContain('Secure');
  });

  it('writes name, path, domain and SameSite as configured', async () => {
    const { send } = bareYoga({ name: '__Secure-rt', path: '/api', domain: 'example.com', sameSite: 'Lax' });
    expect(setCookieOf(await send(login))?.attributes).toEqual([
      'Max-Age=86400',
      'Path=/api',
      'Domain=example.com',
      'HttpOnly',
      'Secure',
      'SameSite=Lax',
    ]);
  });

  it.each<[RefreshCookieOptions, string]>([
    [{ name: 'bad name' }, 'refreshCookie.name'],
    [{ path: 'graphql' }, 'refreshCookie.path'],
    [{ path: '/a;b' }, 'refreshCookie.path'],
    [{ sameSite: 'none' as 'None' }, 'refreshCookie.sameSite'],
    [{ sameSite: 'None', secure: false }, 'refreshCookie.sameSite'],
    [{ domain: 'a b' }, 'refreshCookie.domain'],
    [{ name: '__Host-rt', path: '/graphql' }, 'refreshCookie.name'],
    [{ name: '__Secure-rt', secure: false }, 'refreshCookie.name'],
    [{ secure: 'no' as unknown as boolean }, 'refreshCookie.secure'],
  ])('refuses %o at start-up, naming %s', (refreshCookie, setting) => {
    const create = () => createSimpleJwt({ settings: { signingKey }, refreshCookie, warn: () => undefined });
    expect(create).toThrow(ImproperlyConfiguredError);
    expect(create).toThrow(`'${setting}'`);
  });

  it('warns at start-up when the cookie is not Secure', () => {
    const warnings: string[] = [];
    createSimpleJwt({
      settings: { signingKey },
      refreshCookie: { secure: false },
      warn: (m) => warnings.push(m),
    });
    expect(warnings).toEqual([expect.stringContaining('refreshCookie.secure is false')]);
  });

  it('reads the option from SIMPLE_JWT_REFRESH_COOKIE variables', () => {
    expect(refreshCookieFromEnv({})).toBe(false);
    expect(refreshCookieFromEnv({ SIMPLE_JWT_REFRESH_COOKIE: 'false' })).toBe(false);
    expect(refreshCookieFromEnv({ SIMPLE_JWT_REFRESH_COOKIE: 'true' })).toEqual({});
    expect(
      refreshCookieFromEnv({
        SIMPLE_JWT_REFRESH_COOKIE: '1',
        SIMPLE_JWT_REFRESH_COOKIE_SECURE: 'false',
        SIMPLE_JWT_REFRESH_COOKIE_NAME: 'rt',
        SIMPLE_JWT_REFRESH_COOKIE_PATH: '/api',
        SIMPLE_JWT_REFRESH_COOKIE_SAME_SITE: 'Lax',
        SIMPLE_JWT_REFRESH_COOKIE_DOMAIN: 'example.com',
        SIMPLE_JWT_REFRESH_COOKIE_REFRESH_IN_BODY: 'yes',
      }),
    ).toEqual({
      secure: false,
      name: 'rt',
      path: '/api',
      sameSite: 'Lax',
      domain: 'example.com',
      refreshInBody: true,
    });
    expect(() => refreshCookieFromEnv({ SIMPLE_JWT_REFRESH_COOKIE: 'maybe' })).toThrow(
      ImproperlyConfiguredError,
    );
  });

  it('makes the token arguments optional, and the login body’s refresh nullable unless refreshInBody', () => {
    const printed = (refreshCookie: RefreshCookieOptions | false) =>
      printSchema(
        buildExampleSchema(
          createSimpleJwt({
            settings: { signingKey },
            connection,
            userModel: User,
            refreshCookie,
            warn: () => undefined,
          }),
        ),
      );
    const pairRefresh = (schema: string) =>
      /type TokenObtainPairPayload \{[\s\S]*?refresh: (String!?)\n\}/.exec(schema)?.[1];
    const argument = (schema: string, field: string) =>
      new RegExp(`${field}\\(\\s*(?:"""[^"]*"""\\s*)?\\w+: (String!?)\\s*\\)`).exec(schema)?.[1];
    const off = printed(false);
    expect([argument(off, 'tokenRefresh'), argument(off, 'tokenBlacklist'), pairRefresh(off)]).toEqual([
      'String!',
      'String!',
      'String!',
    ]);
    const on = printed({});
    expect([argument(on, 'tokenRefresh'), argument(on, 'tokenBlacklist'), pairRefresh(on)]).toEqual([
      'String',
      'String',
      'String',
    ]);
    expect(pairRefresh(printed({ refreshInBody: true }))).toBe('String!');
  });

  it('returns the refresh token in the body too with refreshInBody', async () => {
    const { send } = bareYoga({ refreshInBody: true });
    const response = await send(login);
    const { value } = expectCookieSet(response);
    expect(response.json.data?.['tokenObtainPair']?.['refresh']).toBe(value);
  });
});
