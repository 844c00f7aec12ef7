import type { ResolvedRefreshCookieOptions } from './refresh-cookie-options.js';

/** The value of cookie `name` in a `Cookie` request header, or `undefined`. The first one wins, as browsers send the most specific path first. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== name) continue;
    const value = pair.slice(separator + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | null | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  const lower = name.toLowerCase();
  return (
    lower === 'localhost' ||
    lower.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(lower) ||
    lower === '[::1]'
  );
}

/**
 * The `Set-Cookie` value carrying `value` for `maxAgeSeconds` (`0` deletes the cookie). Always
 * HttpOnly; `Secure` unless the options turn it off and the request came to a loopback host.
 */
export function serializeRefreshCookie(
  options: ResolvedRefreshCookieOptions,
  value: string,
  maxAgeSeconds: number,
  requestHost: string | null | undefined,
): string {
  const parts = [`${options.name}=${value}`, `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  parts.push(`Path=${options.path}`);
  if (options.domain !== undefined) parts.push(`Domain=${options.domain}`);
  parts.push('HttpOnly');
  if (options.secure || !isLoopbackHost(requestHost)) parts.push('Secure');
  parts.push(`SameSite=${options.sameSite}`);
  return parts.join('; ');
}

const simpleContentTypes = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const preflightHeaders = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'x-apollo-operation-name'];

/**
 * Whether a browser could only have sent this request after a CORS preflight: a POST whose content
 * type is not one an HTML form can send, or that carries a CSRF-prevention header. The servers' own
 * CSRF prevention refuses the others first; this keeps the cookie unread even where it is not set up.
 */
export function isPreflightedRequest(
  method: string | undefined,
  header: (name: string) => string | null | undefined,
) {
  if (method?.toUpperCase() !== 'POST') return false;
  if (preflightHeaders.some((name) => header(name))) return true;
  const contentType = header('content-type')?.split(';')[0]?.trim().toLowerCase();
  return Boolean(contentType) && !simpleContentTypes.includes(contentType as string);
}
