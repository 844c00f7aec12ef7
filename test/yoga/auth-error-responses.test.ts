import { startStandaloneServer } from '@apollo/server/standalone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApolloExample } from '../../examples/apollo/app.js';
import { createExampleApp } from '../../examples/yoga/app.js';
import { connectFreshDatabase } from '../support/database.js';
import { testClock, y2k } from '../support/token-fixture.js';
import { type ListeningServer, listen } from './listen.js';

// The exact bytes (status, headers, body) of the authentication failures clients see most, from the
// Yoga and the Apollo example. These errors are built cheaply (no stack trace, already located), and
// that must not change a single byte of what is sent.

const signingKey = 'a fixed secret for exact responses, 32+ bytes';
const clock = testClock(y2k);
const connection = await connectFreshDatabase('auth_errors');
const yogaApp = createExampleApp({ connection, settings: { signingKey }, now: clock });
const apolloApp = createApolloExample({ connection, settings: { signingKey }, now: clock });

/** An access token issued at the fixed clock for a user id that does not exist. */
async function accessToken(): Promise<string> {
  const token = new yogaApp.jwt.tokens.AccessToken();
  token.set('user_id', '65f0c0ffee0123456789abcd');
  token.set('jti', '0123456789abcdef0123456789abcdef');
  return String(token);
}

interface Failure {
  readonly name: string;
  readonly query: string;
  readonly authorization?: () => Promise<string>;
  /** Moves the clock before the request (and back after). */
  readonly advance?: number;
}

const failures: Failure[] = [
  { name: 'protected field without a token', query: '{ me { id username } }' },
  {
    name: 'two protected fields without a token',
    query: 'query Two { first: me { id } second: me { username } }',
  },
  {
    name: 'a token that is not a JWT',
    query: '{ whoami { id } }',
    authorization: async () => 'Bearer abc.def.ghi',
  },
  {
    name: 'an expired token',
    query: '{ me { id } }',
    authorization: async () => `Bearer ${await accessToken()}`,
    advance: 3600,
  },
  { name: 'a header of three parts', query: '{ me { id } }', authorization: async () => 'Bearer a b' },
];

interface ExactResponse {
  readonly status: number;
  readonly headers: string[];
  readonly body: string;
}

async function exact(response: Response, ignoredHeaders: readonly string[] = []): Promise<ExactResponse> {
  return {
    status: response.status,
    headers: [...response.headers]
      .filter(([name]) => !ignoredHeaders.includes(name))
      .map(([name, value]) => `${name}: ${value}`),
    body: await response.text(),
  };
}

function request(url: string, failure: Failure, authorization: string | undefined): Request {
  return new Request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({ query: failure.query }),
  });
}

async function send(
  failure: Failure,
  fetchResponse: (authorization: string | undefined) => Promise<Response>,
  ignoredHeaders?: readonly string[],
) {
  const authorization = await failure.authorization?.();
  clock.advance(failure.advance ?? 0);
  try {
    return await exact(await fetchResponse(authorization), ignoredHeaders);
  } finally {
    clock.advance(-(failure.advance ?? 0));
  }
}

// Captured from the responses before the errors were made cheap; written out, never regenerated.
const yogaExpected: Record<string, ExactResponse> = {
  'protected field without a token': {
    status: 401,
    headers: [
      'connection: keep-alive',
      'content-length: 181',
      'content-type: application/graphql-response+json; charset=utf-8',
      'keep-alive: timeout=5',
      'www-authenticate: Bearer realm="api"',
    ],
    body: '{"errors":[{"message":"Authentication credentials were not provided.","locations":[{"line":1,"column":3}],"path":["me"],"extensions":{"code":"UNAUTHENTICATED"}}],"data":{"me":null}}',
  },
  'two protected fields without a token': {
    status: 401,
    headers: [
      'connection: keep-alive',
      'content-length: 357',
      'content-type: application/graphql-response+json; charset=utf-8',
      'keep-alive: timeout=5',
      'www-authenticate: Bearer realm="api"',
    ],
    body: '{"errors":[{"message":"Authentication credentials were not provided.","locations":[{"line":1,"column":13}],"path":["first"],"extensions":{"code":"UNAUTHENTICATED"}},{"message":"Authentication credentials were not provided.","locations":[{"line":1,"column":30}],"path":["second"],"extensions":{"code":"UNAUTHENTICATED"}}],"data":{"first":null,"second":null}}',
  },
  'a token that is not a JWT': {
    status: 401,
    headers: [
      'connection: keep-alive',
      'content-length: 199',
      'content-type: application/graphql-response+json; charset=utf-8',
      'keep-alive: timeout=5',
      'www-authenticate: Bearer realm="api"',
    ],
    body: '{"errors":[{"message":"Given token not valid for any token type","extensions":{"messages":[{"tokenClass":"AccessToken","tokenType":"access","message":"Token is invalid"}],"code":"TOKEN_NOT_VALID"}}]}',
  },
  'an expired token': {
    status: 401,
    headers: [
      'connection: keep-alive',
      'content-length: 199',
      'content-type: application/graphql-response+json; charset=utf-8',
      'keep-alive: timeout=5',
      'www-authenticate: Bearer realm="api"',
    ],
    body: '{"errors":[{"message":"Given token not valid for any token type","extensions":{"messages":[{"tokenClass":"AccessToken","tokenType":"access","message":"Token is expired"}],"code":"TOKEN_NOT_VALID"}}]}',
  },
  'a header of three parts': {
    status: 401,
    headers: [
      'connection: keep-alive',
      'content-length: 136',
      'content-type: application/graphql-response+json; charset=utf-8',
      'keep-alive: timeout=5',
      'www-authenticate: Bearer realm="api"',
    ],
    body: '{"errors":[{"message":"Authorization header must contain two space-delimited values","extensions":{"code":"BAD_AUTHORIZATION_HEADER"}}]}',
  },
};

const apolloExpected: Record<string, ExactResponse> = {
  'protected field without a token': {
    status: 401,
    headers: [
      'access-control-allow-origin: *',
      'cache-control: no-store',
      'connection: keep-alive',
      'content-length: 182',
      'content-type: application/graphql-response+json; charset=utf-8',
      'keep-alive: timeout=5',
      'www-authenticate: Bearer realm="api"',
    ],
    body: '{"errors":[{"message":"Authentication credentials were not provided.","locations":[{"line":1,"column":3}],"path":["me"],"extensions":{"code":"UNAUTHENTICATED"}}],"data":{"me":null}}\n',
  },
  'two protected fields without a token': {
    status: 401,
    headers: [
      'access-control-allow-origin: *',
      'cache-control: no-store',
      'connection: keep-alive',
      'content-length: 358',
      'content-type: application/graphql-response+json; charset=utf-8',
      'keep-alive: timeout=5',
      'www-authenticate: Bearer realm="api"',
    ],
    body: '{"errors":[{"message":"Authentication credentials were not provided.","locations":[{"line":1,"column":13}],"path":["first"],"extensions":{"code":"UNAUTHENTICATED"}},{"message":"Authentication credentials were not provided.","locations":[{"line":1,"column":30}],"path":["second"],"extensions":{"code":"UNAUTHENTICATED"}}],"data":{"first":null,"second":null}}\n',
  },
  'a token that is not a JWT': {
    status: 401,
    headers: [
      'access-control-allow-origin: *',
      'connection: keep-alive',
      'content-length: 200',
      'content-type: application/graphql-response+json; charset=utf-8',
      'keep-alive: timeout=5',
      'www-authenticate: Bearer realm="api"',
    ],
    body: '{"errors":[{"message":"Given token not valid for any token type","extensions":{"messages":[{"tokenClass":"AccessToken","tokenType":"access","message":"Token is invalid"}],"code":"TOKEN_NOT_VALID"}}]}\n',
  },
  'an expired token': {
    status: 401,
    headers: [
      'access-control-allow-origin: *',
      'connection: keep-alive',
      'content-length: 200',
      'content-type: application/graphql-response+json; charset=utf-8',
      'keep-alive: timeout=5',
      'www-authenticate: Bearer realm="api"',
    ],
    body: '{"errors":[{"message":"Given token not valid for any token type","extensions":{"messages":[{"tokenClass":"AccessToken","tokenType":"access","message":"Token is expired"}],"code":"TOKEN_NOT_VALID"}}]}\n',
  },
  'a header of three parts': {
    status: 401,
    headers: [
      'access-control-allow-origin: *',
      'connection: keep-alive',
      'content-length: 137',
      'content-type: application/graphql-response+json; charset=utf-8',
      'keep-alive: timeout=5',
      'www-authenticate: Bearer realm="api"',
    ],
    body: '{"errors":[{"message":"Authorization header must contain two space-delimited values","extensions":{"code":"BAD_AUTHORIZATION_HEADER"}}]}\n',
  },
};

describe('authentication failures keep their exact response bytes', () => {
  let apolloUrl = '';
  let yogaServer: ListeningServer;
  beforeAll(async () => {
    yogaServer = await listen(yogaApp.yoga);
    const { url } = await startStandaloneServer(apolloApp.server, {
      listen: { port: 0, host: '127.0.0.1' },
      context: apolloApp.jwt.apolloContext,
    });
    apolloUrl = url;
  });
  afterAll(async () => {
    await apolloApp.server.stop();
    await yogaServer.close();
  });

  it.each(failures)('Yoga: $name', async (failure) => {
    // Over real HTTP: only the Date header changes from one response to the next.
    const response = await send(
      failure,
      (authorization) => fetch(request(yogaServer.url, failure, authorization)),
      ['date'],
    );
    expect(response).toEqual(yogaExpected[failure.name]);
  });

  it.each(failures)('Apollo: $name', async (failure) => {
    const response = await send(
      failure,
      (authorization) => fetch(request(apolloUrl, failure, authorization)),
      ['date'],
    );
    expect(response).toEqual(apolloExpected[failure.name]);
  });
});
