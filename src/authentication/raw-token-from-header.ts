import { AuthenticationFailedError, messages } from '../errors.js';

// Python's bytes.split(): runs of ASCII whitespace, leading and trailing ignored.
const asciiWhitespace = /[\t\n\v\f\r ]+/;

/**
 * Simple JWT's `get_raw_token`: `null` (anonymous) for no header, an empty one or another scheme —
 * the scheme is matched case-sensitively and BEFORE the length — and an error when the scheme
 * matches but the header is not exactly two parts.
 */
export function rawTokenFromHeader(
  header: string | null | undefined,
  authHeaderTypes: readonly string[],
): string | null {
  if (!header) return null;
  const parts = header.trim().split(asciiWhitespace);
  const scheme = parts[0];
  if (!scheme || !authHeaderTypes.includes(scheme)) return null;
  if (parts.length !== 2)
    throw new AuthenticationFailedError('BAD_AUTHORIZATION_HEADER', messages.badAuthorizationHeader);
  return parts[1] ?? null;
}
