import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleApp } from '../../examples/yoga/app.js';
import { documentLimits } from '../../examples/yoga/document-limits.js';
import { connectFreshDatabase } from '../support/database.js';
import { hostileDocuments, postDocument, type RefusedBy } from '../support/hostile-documents.js';
import { type ListeningServer, listen } from './listen.js';

// The Yoga example server (examples/yoga/app.ts) over real HTTP: every hostile document is refused
// before execution with a 400 and a GraphQL error, and the server goes on serving.
const connection = await connectFreshDatabase('yoga_hostile');
// Sliding tokens on, as in server.ts, so that every example operation exists.
const { yoga } = createExampleApp({
  connection,
  settings: { signingKey: randomBytes(64), authTokenClasses: ['access', 'sliding'] },
});
const { maxTokens, maxDepth, maxAliases, maxDirectives, maxCost } = documentLimits;
// What GraphiQL and other GraphQL-over-HTTP clients send.
const graphqlResponse = 'application/graphql-response+json';

const refusals: Record<RefusedBy, { code: string; message: unknown }> = {
  tokens: { code: 'GRAPHQL_PARSE_FAILED', message: `Syntax Error: Token limit of ${maxTokens} exceeded.` },
  depth: {
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: `Syntax Error: Query depth limit of ${maxDepth} exceeded, found ${maxDepth + 1}.`,
  },
  aliases: {
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: `Syntax Error: Aliases limit of ${maxAliases} exceeded, found 100.`,
  },
  directives: {
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: `Syntax Error: Directives limit of ${maxDirectives} exceeded, found 100.`,
  },
  cost: {
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: expect.stringMatching(
      new RegExp(`^Syntax Error: Query Cost limit of ${maxCost} exceeded, found \\d`),
    ),
  },
  introspection: { code: 'GRAPHQL_VALIDATION_FAILED', message: 'Maximum introspection depth exceeded' },
};

let server: ListeningServer;
beforeAll(async () => {
  server = await listen(yoga);
});
afterAll(async () => {
  await server.close();
});

describe('hostile documents on the Yoga example', () => {
  it.each(hostileDocuments)('refuses $name (limit: $refusedBy) with a 400', async ({ query, refusedBy }) => {
    const { status, body } = await postDocument(server.url, query, graphqlResponse);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    const { code, message } = refusals[refusedBy];
    expect(body.errors).toContainEqual(expect.objectContaining({ message, extensions: { code } }));
  });

  it.each(['application/json', '*/*'])(
    'answers a `%s` client 400 too, with the same refusal and no data',
    async (accept) => {
      // Yoga alone would answer 200 here, as GraphQL over HTTP allows for legacy clients; the example
      // answers every refused document with a 4xx whatever the client accepts.
      const [deep] = hostileDocuments;
      const { status, body } = await postDocument(server.url, deep?.query ?? '', accept);
      expect(status).toBe(400);
      expect(body).toEqual({
        errors: [{ message: refusals.tokens.message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }],
      });
    },
  );

  it('answers a plain syntax error 400 to an `application/json` client', async () => {
    const { status, body } = await postDocument(server.url, '{ whoami {', 'application/json');
    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } })]);
  });

  it('goes on serving `{ whoami { id } }` after all of them', async () => {
    const { status, body } = await postDocument(server.url, '{ whoami { id } }', graphqlResponse);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { whoami: null } });
  });
});

describe('legitimate documents on the Yoga example', () => {
  it("accepts GraphiQL's introspection query with every option on", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    const { status, body } = await postDocument(server.url, query, graphqlResponse);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ __schema: { queryType: { name: 'Query' } } });
  });

  it('validates every example operation, all in one document', async () => {
    const operations = ['tokens', 'users'].map((name) =>
      readFileSync(new URL(`../../examples/operations/${name}.graphql`, import.meta.url), 'utf8'),
    );
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: graphqlResponse },
      body: JSON.stringify({ query: operations.join('\n'), operationName: 'Whoami' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { whoami: null } });
  });
});
