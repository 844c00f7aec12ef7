import { InvalidTokenError, messages, TokenError, type TokenErrorMessage } from '../errors.js';
import type { BuiltInTokenType } from '../settings.js';
import type { BoundTokenClasses, TokenInstance } from '../tokens/bind-token-classes.js';
import { tokenClassNames, tokenClassOf } from './validated-token.js';
import type { VerifiedTokenCache } from './verified-token-cache.js';

/**
 * `validatedToken` without a promise: the same classes in the same order, the same messages, the same
 * "Given token not valid for any token type" error. `undefined` as soon as a class would need I/O (a
 * blacklist lookup, a JWKS key not fetched yet): the caller then runs the asynchronous `validatedToken`
 * from the start, so the outcome never depends on which path ran.
 */
export function validatedTokenSync(
  tokens: BoundTokenClasses,
  authTokenClasses: readonly BuiltInTokenType[],
  rawToken: string,
): TokenInstance | undefined {
  let failures: TokenErrorMessage[] | undefined;
  for (const tokenType of authTokenClasses) {
    try {
      const token = tokens[tokenClassOf[tokenType]].fromStringSync(rawToken);
      if (token === undefined) return undefined;
      return token;
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      failures ??= [];
      failures.push({ tokenClass: tokenClassNames[tokenType], tokenType, message: error.message });
    }
  }
  throw new InvalidTokenError(messages.notValidForAnyType, failures ?? []);
}

/**
 * `validatedTokenSync` in front of the verified-token cache: a hit skips decoding and verification, a
 * miss validated here is remembered (when it is an access token). `undefined`: validation needs I/O.
 */
export function cachedValidatedTokenSync(
  cache: VerifiedTokenCache | null | undefined,
  tokens: BoundTokenClasses,
  authTokenClasses: readonly BuiltInTokenType[],
  rawToken: string,
): TokenInstance | undefined {
  const hit = cache?.get(rawToken);
  if (hit !== undefined) return hit;
  const token = validatedTokenSync(tokens, authTokenClasses, rawToken);
  if (token !== undefined) cache?.remember(rawToken, token);
  return token;
}
