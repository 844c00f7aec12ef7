import { randomBytes } from 'node:crypto';
import { startStandaloneServer } from '@apollo/server/standalone';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApolloExample } from '../../examples/apollo/app.js';
import { documentLimits } from '../../examples/yoga/document-limits.js';
import { connectFreshDatabase } from '../support/database.js';
import { hostileDocuments, postDocument, type RefusedBy } from '../support/hostile-documents.js';

// The Apollo example (examples/apollo/app.ts) over real HTTP: every hostile document is refused before
// execution with a 400 whatever the client accepts, and the server goes on serving.
const connection = await connectFreshDatabase('apollo_hostile');
const { server, jwt } = createApolloExample({ connection, settings: { signingKey: randomBytes(64) } });
const { maxTokens, maxDepth, maxAliases, maxDirectives, maxCost } = documentLimits;

const refusals: Record<RefusedBy, { code: string; message: unknown }> = {
  // graphql-js's own `maxTokens` message, its spelling included.
  tokens: {
    code: 'GRAPHQL_PARSE_FAILED',
    message: `Syntax Error: Document contains more that ${maxTokens} tokens. Parsing aborted.`,
  },
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

describe('hostile documents on the Apollo example', () => {
  const cases = hostileDocuments.flatMap((document) =>
    ['application/graphql-response+json', 'application/json'].map((accept) => ({ ...document, accept })),
  );

  it.each(cases)(
    'refuses $name (limit: $refusedBy) with a 400 to $accept',
    async ({ query, refusedBy, accept }) => {
      const { status, body } = await postDocument(url, query, accept);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      const { code, message } = refusals[refusedBy];
      expect(body.errors).toContainEqual(
        expect.objectContaining({ message, extensions: expect.objectContaining({ code }) }),
      );
    },
  );

  it('goes on serving `{ whoami { id } }` after all of them', async () => {
    const { status, body } = await postDocument(url, '{ whoami { id } }', 'application/json');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { whoami: null } });
  });
});

it("accepts GraphiQL's introspection query with every option on", async () => {
  const query = getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    oneOf: true,
  });
  const { status, body } = await postDocument(url, query, 'application/json');
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data).toMatchObject({ __schema: { queryType: { name: 'Query' } } });
});
