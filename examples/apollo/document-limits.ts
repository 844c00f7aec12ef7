import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { armorRuleOptions, documentLimits } from '../yoga/document-limits.js';

/**
 * The Yoga example's document limits as Apollo Server options: `new ApolloServer({ …,
 * ...apolloDocumentLimits() })`. The token count is graphql-js's own `maxTokens` parser option, which
 * stops the parser the same way (Apollo: `GRAPHQL_PARSE_FAILED`, 400): GraphQL Armor's Apollo token
 * plugin parses every document a second time and turns every syntax error, its own included, into a 500.
 */
export function apolloDocumentLimits() {
  const options = armorRuleOptions();
  return {
    parseOptions: { maxTokens: documentLimits.maxTokens },
    validationRules: [
      maxDepthRule(options.maxDepth),
      maxAliasesRule(options.maxAliases),
      maxDirectivesRule(options.maxDirectives),
      costLimitRule(options.costLimit),
    ],
  };
}
