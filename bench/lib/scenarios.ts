import type { AppName } from '../server/protocol.js';
import type { ServerHandle } from '../server/server-handle.js';
import {
  body,
  meQuery,
  tokenBlacklist,
  tokenObtainPair,
  tokenRefresh,
  tokenVerify,
  whoamiIdQuery,
  whoamiQuery,
} from './documents.js';

/** What one load run sends: a body (or a body per request) and an optional Authorization header. */
export interface RunInput {
  readonly body: string | (() => string);
  readonly authorization?: string | undefined;
  /** How many pre-minted tokens the run may use up (consuming scenarios), for the report. */
  readonly tokensAvailable?: number;
}

export interface Scenario {
  readonly id: string;
  readonly label: string;
  readonly app: AppName;
  /** The HTTP status every response must have (the baseline `{ me }` without a token is a 401). */
  readonly expectedStatus: number;
  /** Simple JWT 5.2.2 under gunicorn (2 sync workers, SQLite) on this machine, req/s. */
  readonly simpleJwtReqPerSecond?: number;
  /** Prepares one run; scenarios that use tokens up mint `expectedRequests` fresh ones first. */
  input(expectedRequests: number): Promise<RunInput>;
}

export interface ScenarioFixtures {
  readonly server: ServerHandle;
  /** An access token for the benchmark user, used on every request of the authenticated queries. */
  readonly accessToken: string;
  /** A refresh token reused by refresh-without-rotation and verify (neither uses it up). */
  readonly refreshToken: string;
}

/**
 * A body per request over freshly minted refresh tokens, each used once. They get no outstanding
 * record (blacklisting creates it, as Simple JWT does): tokens a run does not reach would otherwise
 * pile up in outstanding_tokens and slow every later scenario on a database that scans (FerretDB v1).
 */
async function consumingBody(
  fixtures: ScenarioFixtures,
  app: AppName,
  count: number,
  build: (token: string) => string,
): Promise<RunInput> {
  const tokens = await fixtures.server.mint(app, 'refresh', count, false);
  let next = 0;
  // Past the end the last token is sent again: its responses fail and show up as non-2xx.
  return { body: () => build(tokens[Math.min(next++, tokens.length - 1)]!), tokensAvailable: tokens.length };
}

export function createScenarios(fixtures: ScenarioFixtures) {
  const { server, accessToken, refreshToken } = fixtures;
  const bearer = `Bearer ${accessToken}`;
  const { cheap } = server.users;
  const fixed = (input: RunInput) => async () => input;

  const baseline: Scenario = {
    id: 'whoami-id-anonymous',
    label: '`{ whoami { id } }` without a token (baseline)',
    app: 'stateless',
    expectedStatus: 200,
    input: fixed({ body: body(whoamiIdQuery) }),
  };
  const variants: Scenario[] = [
    {
      id: 'me-anonymous',
      label: '`{ me }` without a token (UNAUTHENTICATED, 401)',
      app: 'db',
      expectedStatus: 401,
      input: fixed({ body: body(meQuery) }),
    },
    {
      id: 'whoami-id-stateless',
      label: '`{ whoami { id } }` stateless auth, no cache',
      app: 'stateless',
      expectedStatus: 200,
      input: fixed({ body: body(whoamiIdQuery), authorization: bearer }),
    },
    {
      id: 'whoami-id-stateless-cache',
      label: '`{ whoami { id } }` stateless auth, verified-token cache hit',
      app: 'stateless-cache',
      expectedStatus: 200,
      input: fixed({ body: body(whoamiIdQuery), authorization: bearer }),
    },
    {
      id: 'whoami-id-plain-jsonwebtoken',
      label: '`{ whoami { id } }`, plain Yoga context calling jsonwebtoken (reference, not this package)',
      app: 'plain-jsonwebtoken',
      expectedStatus: 200,
      input: fixed({ body: body(whoamiIdQuery), authorization: bearer }),
    },
    {
      id: 'whoami-stateless',
      label: '`{ whoami }` (example query, all claims) stateless auth',
      app: 'stateless',
      expectedStatus: 200,
      input: fixed({ body: body(whoamiQuery), authorization: bearer }),
    },
    {
      id: 'me-database',
      label: '`{ me }` database user lookup (verified-token cache on: the default)',
      app: 'db',
      expectedStatus: 200,
      simpleJwtReqPerSecond: 1104,
      input: fixed({ body: body(meQuery), authorization: bearer }),
    },
    {
      id: 'token-obtain-pair',
      label: '`tokenObtainPair` (cheap scrypt N=16)',
      app: 'db',
      expectedStatus: 200,
      simpleJwtReqPerSecond: 372,
      input: fixed({ body: body(tokenObtainPair, { username: cheap.username, password: cheap.password }) }),
    },
    {
      id: 'token-refresh',
      label: '`tokenRefresh` (no rotation)',
      app: 'db',
      expectedStatus: 200,
      simpleJwtReqPerSecond: 1026,
      input: fixed({ body: body(tokenRefresh, { refresh: refreshToken }) }),
    },
    {
      id: 'token-refresh-rotate',
      label: '`tokenRefresh` (rotation + blacklist)',
      app: 'rotate',
      expectedStatus: 200,
      input: (count) =>
        consumingBody(fixtures, 'rotate', count, (refresh) => body(tokenRefresh, { refresh })),
    },
    {
      id: 'token-verify',
      label: '`tokenVerify` (blacklist lookup)',
      app: 'db',
      expectedStatus: 200,
      simpleJwtReqPerSecond: 2145,
      input: fixed({ body: body(tokenVerify, { token: refreshToken }) }),
    },
    {
      id: 'token-blacklist',
      label: '`tokenBlacklist`',
      app: 'db',
      expectedStatus: 200,
      simpleJwtReqPerSecond: 303,
      input: (count) => consumingBody(fixtures, 'db', count, (refresh) => body(tokenBlacklist, { refresh })),
    },
  ];
  return { baseline, variants };
}

/** Sends one request of `scenario` and checks status and body, so a broken scenario fails loudly. */
export async function checkScenario(server: ServerHandle, scenario: Scenario): Promise<void> {
  const input = await scenario.input(1);
  const payload = typeof input.body === 'string' ? input.body : input.body();
  const response = await fetch(server.url(scenario.app), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(input.authorization ? { authorization: input.authorization } : {}),
    },
    body: payload,
  });
  const text = await response.text();
  const hasErrors = (JSON.parse(text) as { errors?: unknown }).errors !== undefined;
  if (response.status !== scenario.expectedStatus || hasErrors !== (scenario.expectedStatus !== 200)) {
    throw new Error(`scenario ${scenario.id}: HTTP ${response.status} ${text.slice(0, 300)}`);
  }
}
