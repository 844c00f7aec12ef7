import type { Plugin } from 'graphql-yoga';

interface HttpExtension {
  status?: number;
  spec?: boolean;
}

/**
 * Yoga answers a document it refuses (a syntax error, a failed validation, a document limit) with 400
 * to GraphQL-over-HTTP clients (`accept: application/graphql-response+json`) but with 200 to legacy
 * `application/json` ones and to `*\/*` (curl), as the GraphQL-over-HTTP specification allows. The
 * example answers 4xx to every client, so that no client, proxy or scanner takes a refusal for a
 * success. Yoga marks those statuses `spec: true` ("only for GraphQL-over-HTTP clients"); clearing
 * the mark makes Yoga apply the status it already chose.
 */
export function useRequestErrorsAre4xx(): Plugin {
  return {
    onResultProcess({ result }) {
      if (!('errors' in result) || !result.errors) return;
      for (const error of result.errors) {
        const http = error.extensions?.['http'] as HttpExtension | undefined;
        if (http?.spec === true && http.status !== undefined && http.status >= 400 && http.status < 500) {
          http.spec = false;
        }
      }
    },
  };
}
