import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MeDocument,
  TokenObtainPairDocument,
  TokenRefreshDocument,
} from '../../examples/generated/graphql.js';
import { freshDatabaseUri } from '../support/database.js';
import { expectUnreachableFromNetwork } from '../support/external-address.js';
import { segmentJson } from '../support/forge-jwt.js';
import { type FetchLike, graphqlClient } from '../support/graphql-client.js';
import { hostileDocuments, postDocument } from '../support/hostile-documents.js';
import { signalTsxScript } from '../support/tsx-script.js';

// `npm start` is `tsx examples/yoga/server.ts`: run that, without HOST (so on its default address) and
// on a port the kernel picks.
const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const databaseUri = freshDatabaseUri('npm_start');
const database = await mongoose.createConnection(databaseUri).asPromise();
const started: ChildProcess[] = [];
// Every request is bounded too: a hung server fails the test with a timeout, not a stall.
const boundedFetch: FetchLike = (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });

afterAll(async () => {
  // Only after a failure is a server still running: SIGTERM first, which tsx relays to the server process.
  const running = started.filter((child) => child.exitCode === null && child.signalCode === null);
  await Promise.all(
    running.map(async (child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }),
  );
  await database.dropDatabase().catch(() => undefined);
  await database.close();
});

interface RunningServer {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Sends SIGTERM and resolves with the exit code (`null` when killed by a signal). */
  stop(): Promise<number | null>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string, output: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms\n${output()}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const { HOST: _inherited, ...inherited } = process.env;
  const child = spawn(tsx, ['examples/yoga/server.ts'], {
    cwd: root,
    env: { ...inherited, PORT: '0', MONGODB_URI: databaseUri, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const output = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const match = /GraphQL server ready at (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then((code) =>
      reject(new Error(`the server exited (${code}) before it was ready\n${output()}`)),
    );
  });
  const url = await withTimeout(ready, 45_000, 'the server did not print its URL', output);
  return {
    child,
    url,
    stdout: () => stdout,
    stop: () => {
      signalTsxScript(child.pid as number, 'SIGTERM');
      return withTimeout(exited, 15_000, 'the server did not exit after SIGTERM', output);
    },
  };
}

describe('npm start (examples/yoga/server.ts)', () => {
  it('serves GraphiQL, creates and logs in the demo user, honours SIMPLE_JWT_* and stops on SIGTERM', async () => {
    const server = await startServer({ SIMPLE_JWT_ACCESS_TOKEN_LIFETIME: '1m' });
    expect(server.stdout()).toContain('Created the user demo / demo-password.');
    // Without HOST the server, which seeds a well-known password, is out of reach of the network.
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    await expectUnreachableFromNetwork(Number(url.port));

    const page = await boundedFetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html.trimStart()).toMatch(/^<!doctype html>/i);
    expect(html).toContain('GraphiQL');

    // A document that overflowed graphql-js's parser is a 400, and the server goes on serving.
    const [deep] = hostileDocuments;
    const refused = await postDocument(server.url, deep?.query ?? '', 'application/graphql-response+json');
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');

    const execute = graphqlClient(boundedFetch, server.url);
    const obtained = await execute(TokenObtainPairDocument, { username: 'demo', password: 'demo-password' });
    expect(obtained.errors).toBeUndefined();
    const { access, refresh } = obtained.data?.tokenObtainPair ?? { access: '', refresh: '' };
    const accessClaims = segmentJson(access, 1) as { exp: number; iat: number };
    const refreshClaims = segmentJson(refresh, 1) as { exp: number; iat: number };
    // As in Simple JWT, the access token's `exp` counts from its refresh token's creation (the refresh
    // token's `iat`); its own `iat` is a moment later, so `exp - iat` may be one second short.
    expect(accessClaims.exp - refreshClaims.iat).toBe(60);
    expect(accessClaims.exp - accessClaims.iat).toBeGreaterThanOrEqual(59);
    expect(refreshClaims.exp - refreshClaims.iat).toBe(24 * 60 * 60);

    const me = await execute(MeDocument, {}, { token: access });
    expect(me.data?.me).toMatchObject({ username: 'demo', isStaff: false });
    // server.ts turns rotation on: a refresh returns a new refresh token.
    const refreshed = await execute(TokenRefreshDocument, { refresh });
    expect(refreshed.data?.tokenRefresh?.refresh).toEqual(expect.any(String));

    expect(await server.stop()).toBe(0);
    expect(server.child.signalCode).toBeNull();
  }, 90_000);

  // Runs after the first test, against the same database.
  it('finds the demo user on a second start instead of creating another', async () => {
    const server = await startServer();
    expect(server.stdout()).not.toContain('Created the user');
    expect(await database.collection('users').countDocuments({ username: 'demo' })).toBe(1);

    const execute = graphqlClient(boundedFetch, server.url);
    const obtained = await execute(TokenObtainPairDocument, { username: 'demo', password: 'demo-password' });
    const { access, refresh } = obtained.data?.tokenObtainPair ?? { access: '', refresh: '' };
    // Without the variable the access lifetime is Simple JWT's default, five minutes.
    const accessClaims = segmentJson(access, 1) as { exp: number };
    const refreshClaims = segmentJson(refresh, 1) as { iat: number };
    expect(accessClaims.exp - refreshClaims.iat).toBe(5 * 60);

    expect(await server.stop()).toBe(0);
  }, 90_000);

  it('serves the web client and sets the refresh cookie with SIMPLE_JWT_REFRESH_COOKIE=true', async () => {
    const server = await startServer({
      SIMPLE_JWT_REFRESH_COOKIE: 'true',
      SIMPLE_JWT_REFRESH_COOKIE_SECURE: 'false',
    });
    const origin = new URL(server.url).origin;
    expect(server.stdout()).toContain(`Web client at ${origin}/`);
    const page = await boundedFetch(`${origin}/`, {});
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script src="/app.js" defer></script>');
    expect((await boundedFetch(`${origin}/app.js`, {})).status).toBe(200);

    const login =
      'mutation { tokenObtainPair(username: "demo", password: "demo-password") { access refresh } }';
    const post = (contentType: string, cookie = '') =>
      boundedFetch(server.url, {
        method: 'POST',
        headers: { 'content-type': contentType, cookie },
        body: JSON.stringify({ query: login }),
      });
    const obtained = await post('application/json');
    expect(await obtained.json()).toMatchObject({ data: { tokenObtainPair: { refresh: null } } });
    const [setCookie = ''] = obtained.headers.getSetCookie();
    // Max-Age is what is left of the refresh token's day: a second may tick between signing and the cookie.
    expect(setCookie).toMatch(
      /^refresh_token=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=(86400|86399); Path=\/graphql; HttpOnly; SameSite=Strict$/,
    );
    // Yoga's CSRF prevention is on: a form-style request is refused before it runs.
    expect((await post('text/plain')).status).toBe(403);

    expect(await server.stop()).toBe(0);
  }, 90_000);
});
