import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';

/**
 * What both example servers accept in one GraphQL document, checked by GraphQL Armor before anything
 * executes. The token limit matters most: graphql-js parses recursively and overflows the stack near
 * 2,000 levels of nesting (`{a{a{…}}}` or `[[[…]]]`), and a document of 1,000 tokens cannot nest half
 * that deep. GraphiQL's introspection query (184 tokens) is exempt from the depth and cost limits;
 * graphql-js's own introspection depth rule still refuses the cyclic ones.
 */
export const documentLimits = {
  /** Lexical tokens per document; every example operation together in one document takes 170. */
  maxTokens: 1000,
  /** Nesting of fields (fragments add none); the schema's deepest is 3: `whoami { claims { name } }`. */
  maxDepth: 6,
  /** Aliased fields per operation (`__typename` aliases are free). */
  maxAliases: 15,
  /** Directives per operation. */
  maxDirectives: 50,
  /** GraphQL Armor's cost estimate: 2 per object and 1 per scalar field, times 1.5 per level of nesting. */
  maxCost: 5000,
} as const;

/**
 * GraphQL Armor's options for its validation rules. Its rules throw by default, which Yoga answers with
 * neither a status nor a code, and Apollo with a 500: reported to the validation context instead, a
 * refusal is an ordinary validation error (`GRAPHQL_VALIDATION_FAILED`, 400).
 */
export function armorRuleOptions() {
  const reportAsValidationError = () => ({
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
  });
  return {
    // A fragment spread would otherwise count as two levels of nesting.
    maxDepth: { n: documentLimits.maxDepth, flattenFragments: true, ...reportAsValidationError() },
    maxAliases: { n: documentLimits.maxAliases, ...reportAsValidationError() },
    maxDirectives: { n: documentLimits.maxDirectives, ...reportAsValidationError() },
    costLimit: { maxCost: documentLimits.maxCost, flattenFragments: true, ...reportAsValidationError() },
  };
}

/** The document limits as Yoga (envelop) plugins: `createYoga({ plugins: yogaDocumentLimits() })`. */
export function yogaDocumentLimits() {
  const options = armorRuleOptions();
  return [
    // Counted as the parser advances and thrown at the limit: a parse error, `GRAPHQL_PARSE_FAILED`.
    maxTokensPlugin({ n: documentLimits.maxTokens }),
    maxDepthPlugin(options.maxDepth),
    maxAliasesPlugin(options.maxAliases),
    maxDirectivesPlugin(options.maxDirectives),
    costLimitPlugin(options.costLimit),
  ];
}
