import { documentLimits } from '../../examples/yoga/document-limits.js';

/** Which check refuses a hostile document (`introspection` is graphql-js's own introspection depth rule). */
export type RefusedBy = 'tokens' | 'depth' | 'aliases' | 'directives' | 'cost' | 'introspection';

export interface HostileDocument {
  readonly name: string;
  readonly query: string;
  readonly refusedBy: RefusedBy;
}

const nested = (depth: number, open: string, inner: string, close: string) =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
const aliases = (count: number) =>
  Array.from({ length: count }, (_, index) => `a${index}: whoami { id }`).join(' ');
const spreads = (fragment: string, count: number) => ` ...${fragment}`.repeat(count);

/**
 * Documents that once cost the example servers a stack overflow (500) or unbounded work. Without the
 * token limit graphql-js overflows its stack parsing the first two; every other one stays under the
 * token limit so that the check named in `refusedBy` is the one that refuses it.
 */
export const hostileDocuments: readonly HostileDocument[] = [
  { name: 'a 10,000-deep selection', query: `{${nested(10_000, 'a{', 'a', '}')}}`, refusedBy: 'tokens' },
  {
    name: 'a 10,000-deep list argument',
    query: `{ whoami(filter: ${nested(10_000, '[', '', ']')}) { id } }`,
    refusedBy: 'tokens',
  },
  { name: '1,000 aliases', query: `{ ${aliases(1_000)} }`, refusedBy: 'tokens' },
  { name: '50,000 fields', query: `{ whoami { ${'id '.repeat(50_000)}} }`, refusedBy: 'tokens' },
  {
    name: `${documentLimits.maxDepth + 1} levels of nesting`,
    query: `{${nested(documentLimits.maxDepth, 'a{', 'a', '}')}}`,
    refusedBy: 'depth',
  },
  { name: '100 aliases', query: `{ ${aliases(100)} }`, refusedBy: 'aliases' },
  {
    name: '100 directives',
    query: `{ whoami { ${'id @skip(if: false) '.repeat(100)}} }`,
    refusedBy: 'directives',
  },
  {
    // Twelve spreads per fragment, four fragments deep: 12^3 copies of the innermost fields.
    name: 'a fragment explosion',
    query: [
      '{ whoami { claims { ...F3 } } }',
      `fragment F3 on TokenClaim {${spreads('F2', 12)} }`,
      `fragment F2 on TokenClaim {${spreads('F1', 12)} }`,
      `fragment F1 on TokenClaim {${spreads('F0', 12)} }`,
      'fragment F0 on TokenClaim { name value }',
    ].join('\n'),
    refusedBy: 'cost',
  },
  {
    // Exempt from the depth and cost limits as introspection, and still refused.
    name: 'a cyclic introspection query',
    query: `{ __schema { types { ${nested(4, 'fields { type { ', 'name', '} } ')}} } }`,
    refusedBy: 'introspection',
  },
];

/** Sends one document over HTTP as a GraphQL-over-HTTP client that accepts `accept` does. */
export async function postDocument(url: string, query: string, accept: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query }),
    // A server that hangs fails the test instead of stalling the run.
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  return { status: response.status, body };
}
