import { InvalidTokenError, messages, TokenError, type TokenErrorMessage } from '../errors.js';
import type { BuiltInTokenType } from '../settings.js';
import type { BoundTokenClasses, TokenInstance } from '../tokens/bind-token-classes.js';

/** The class name each token type reports in `messages` (Simple JWT's). */
export const tokenClassNames = {
  access: 'AccessToken',
  refresh: 'RefreshToken',
  sliding: 'SlidingToken',
  untyped: 'UntypedToken',
} as const satisfies Record<BuiltInTokenType, string>;

/** The bound class validating each token type. */
export const tokenClassOf = {
  access: 'AccessToken',
  refresh: 'RefreshToken',
  sliding: 'SlidingToken',
  untyped: 'UntypedToken',
} as const satisfies Record<BuiltInTokenType, keyof BoundTokenClasses>;

/**
 * Simple JWT's `get_validated_token`: tries each of `authTokenClasses` in order; the first that
 * accepts the token wins, otherwise "Given token not valid for any token type" with one message per
 * class. Only token errors are collected: a store outage propagates (fail closed).
 */
export async function validatedToken(
  tokens: BoundTokenClasses,
  authTokenClasses: readonly BuiltInTokenType[],
  rawToken: string,
): Promise<TokenInstance> {
  const failures: TokenErrorMessage[] = [];
  for (const tokenType of authTokenClasses) {
    try {
      return await tokens[tokenClassOf[tokenType]].fromString(rawToken);
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      failures.push({ tokenClass: tokenClassNames[tokenType], tokenType, message: error.message });
    }
  }
  throw new InvalidTokenError(messages.notValidForAnyType, failures);
}
