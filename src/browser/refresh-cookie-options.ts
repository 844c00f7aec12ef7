import { describe } from '../duration.js';
import { ImproperlyConfiguredError } from '../errors.js';

/** The `refreshCookie` option of `createSimpleJwt`: the refresh token travels in an HttpOnly cookie. */
export interface RefreshCookieOptions {
  /** The cookie's name. A `__Host-` name needs `secure`, `path: '/'` and no `domain`. @default 'refresh_token' */
  name?: string;
  /** Where the browser sends the cookie: the GraphQL endpoint's path, so no other route sees it. @default '/graphql' */
  path?: string;
  /** `SameSite`: `'None'` needs `secure`. @default 'Strict' */
  sameSite?: 'Strict' | 'Lax' | 'None';
  /**
   * `Secure`: the browser sends the cookie over HTTPS only. `false` is for plain http://localhost
   * development: it warns at start-up, and requests whose `Host` is not a loopback name still get a
   * `Secure` cookie.
   * @default true
   */
  secure?: boolean;
  /** `Domain`: share the cookie with subdomains. Leave it out to keep the cookie on the API's host. @default undefined */
  domain?: string | undefined;
  /**
   * Also return the refresh token in the body of `tokenObtainPair` (and of a rotating `tokenRefresh`
   * that read the cookie), where page scripts can read it.
   * @default false
   */
  refreshInBody?: boolean;
}

/** `RefreshCookieOptions` after defaults and validation, frozen. */
export interface ResolvedRefreshCookieOptions {
  readonly name: string;
  readonly path: string;
  readonly sameSite: 'Strict' | 'Lax' | 'None';
  readonly secure: boolean;
  readonly domain: string | undefined;
  readonly refreshInBody: boolean;
}

// RFC 6265 cookie-name (an RFC 7230 token) and the characters a path or domain attribute may not hold.
const cookieName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const attributeValue = /^[\x21-\x3a\x3c-\x7e]+$/;

function fail(option: string, problem: string): never {
  throw new ImproperlyConfiguredError(`refreshCookie.${option}`, problem);
}

/** Applies the defaults and validates; bad options fail at start-up, naming the option. */
export function resolveRefreshCookieOptions(
  options: RefreshCookieOptions | true,
  warn: (message: string) => void,
): ResolvedRefreshCookieOptions {
  const input: RefreshCookieOptions = options === true ? {} : options;
  const name = input.name ?? 'refresh_token';
  const path = input.path ?? '/graphql';
  const sameSite = input.sameSite ?? 'Strict';
  const secure = input.secure ?? true;
  const domain = input.domain;
  const refreshInBody = input.refreshInBody ?? false;
  if (typeof name !== 'string' || !cookieName.test(name))
    fail('name', `not a cookie name: ${describe(name)}`);
  if (typeof path !== 'string' || !path.startsWith('/') || !attributeValue.test(path))
    fail('path', `expected a path starting with '/', got ${describe(path)}`);
  if (!['Strict', 'Lax', 'None'].includes(sameSite))
    fail('sameSite', `expected 'Strict', 'Lax' or 'None', got ${describe(sameSite)}`);
  if (typeof secure !== 'boolean') fail('secure', `expected true or false, got ${describe(secure)}`);
  if (domain !== undefined && (typeof domain !== 'string' || !attributeValue.test(domain)))
    fail('domain', `expected a host name, got ${describe(domain)}`);
  if (typeof refreshInBody !== 'boolean')
    fail('refreshInBody', `expected true or false, got ${describe(refreshInBody)}`);
  if (sameSite === 'None' && !secure)
    fail('sameSite', "'None' needs secure: true (browsers refuse it otherwise)");
  if ((name.startsWith('__Secure-') || name.startsWith('__Host-')) && !secure)
    fail('name', `a ${name.split('-')[0]}- cookie needs secure: true`);
  if (name.startsWith('__Host-') && (path !== '/' || domain !== undefined))
    fail('name', "a __Host- cookie needs path: '/' and no domain");
  if (!secure)
    warn(
      'refreshCookie.secure is false: the refresh cookie is sent over plain HTTP. Only for http://localhost development.',
    );
  return Object.freeze({ name, path, sameSite, secure, domain, refreshInBody });
}
