import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApolloExample } from '../../examples/apollo/app.js';
import { createScryptPasswordHasher, createUser, insecureTestScryptOptions } from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { testClock } from '../support/token-fixture.js';
import { expectCookieSet, post, postJson, setCookieOf } from './cookie-client.js';

// The Apollo example with the refresh cookie on, mounted with expressMiddleware behind `cors` with
// credentials for one listed origin: the set-up the README gives for browser pages on other origins.
const connection = await connectFreshDatabase('apollo_express_cookie');
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const { server, jwt, User } = createApolloExample({
  connection,
  settings: { signingKey: randomBytes(64), rotateRefreshTokens: true, blacklistAfterRotation: true },
  passwordHasher: hasher,
  // A fixed clock: Max-Age is the token's remaining lifetime, whole seconds of this clock.
  now: testClock(Math.floor(Date.now() / 1000)),
  refreshCookie: { secure: false },
});
await createUser(User, { username: 'demo', password: 'demo-password' }, hasher);
const listedOrigin = 'http://app.example.test';
let httpServer: Server;
let url: string;

beforeAll(async () => {
  await server.start();
  const app = express();
  app.use(
    '/graphql',
    cors({ origin: [listedOrigin], credentials: true }),
    express.json(),
    expressMiddleware(server, { context: jwt.apolloContext }),
  );
  httpServer = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await server.stop();
  await new Promise((resolve) => httpServer.close(resolve));
});

describe('the refresh cookie on Apollo Server with express', () => {
  it('is set at login, read and rotated by tokenRefresh, deleted by tokenBlacklist', async () => {
    const login = await postJson(
      url,
      'mutation { tokenObtainPair(username: "demo", password: "demo-password") { access refresh } }',
    );
    expect(login.json.data?.['tokenObtainPair']?.['refresh']).toBeNull();
    const { cookie, value } = expectCookieSet(login);
    expect(setCookieOf(login)?.attributes).toEqual([
      'Max-Age=86400',
      'Path=/graphql',
      'HttpOnly',
      'SameSite=Strict',
    ]);

    const formStyle = await post(
      url,
      { 'content-type': 'text/plain', cookie },
      JSON.stringify({ query: 'mutation { tokenRefresh { access } }' }),
    );
    expect(formStyle.status).toBe(400);
    expect(formStyle.headers.getSetCookie()).toEqual([]);

    const refreshed = await postJson(url, 'mutation { tokenRefresh { access } }', { cookie });
    expect(refreshed.json.errors).toBeUndefined();
    const next = expectCookieSet(refreshed);
    expect(next.value).not.toBe(value);
    const loggedOut = await postJson(url, 'mutation { tokenBlacklist { blacklisted } }', {
      cookie: next.cookie,
    });
    expect(loggedOut.json.data?.['tokenBlacklist']).toEqual({ blacklisted: true });
    expect(setCookieOf(loggedOut)?.attributes).toContain('Max-Age=0');
  });

  it('grants CORS with credentials to the listed origin only', async () => {
    const preflight = (origin: string) =>
      fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const listed = await preflight(listedOrigin);
    expect(listed.headers.get('access-control-allow-origin')).toBe(listedOrigin);
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('http://evil.example.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
