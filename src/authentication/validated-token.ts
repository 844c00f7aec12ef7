import { InvalidTokenError, messages, TokenError, type TokenErrorMessage } from '../errors.js';
import type { BuiltInTokenType } from '../settings.js';
import type { BoundTokenClasses, TokenInstance } from '../tokens/bind-token-classes.js';

const classNames = {
  access: 'AccessToken',
  refresh: 'RefreshToken',
  sliding: 'SlidingToken',
  untyped: 'UntypedToken',
} as const satisfies Record<BuiltInTokenType, string>;

const classOf = {
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
      return await tokens[classOf[tokenType]].fromString(rawToken);
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      failures.push({ tokenClass: classNames[tokenType], tokenType, message: error.message });
    }
  }
  throw new InvalidTokenError(messages.notValidForAnyType, failures);
}
