import type { GraphQLFormattedError } from 'graphql';
import { SimpleJwtError } from '../errors.js';

const passThroughCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

function originalOf(error: unknown): unknown {
  let current = error;
  // Apollo wraps resolver errors; GraphQLError keeps the thrown one on originalError.
  for (
    let depth = 0;
    depth < 5 && current && typeof current === 'object' && 'originalError' in current;
    depth++
  ) {
    const next = (current as { originalError?: unknown }).originalError;
    if (!next) break;
    current = next;
  }
  return current;
}

/**
 * Apollo Server's `formatError` that does what graphql-yoga's masking does by default: our errors and
 * Apollo's own request errors pass through (without stack traces); anything else — a database or
 * library error — becomes "Unexpected error." so no internal text reaches a client.
 */
export function simpleJwtFormatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const extensions = (formatted.extensions ?? {}) as Record<string, unknown>;
  if (
    error instanceof SimpleJwtError ||
    originalOf(error) instanceof SimpleJwtError ||
    passThroughCodes.has(String(extensions['code']))
  ) {
    // Our errors come already located and without a stack: usually nothing to take out, so no copy.
    if (!('stacktrace' in extensions)) return formatted;
    const { stacktrace: _stacktrace, ...withoutStacktrace } = extensions;
    return { ...formatted, extensions: withoutStacktrace };
  }
  return {
    message: 'Unexpected error.',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
