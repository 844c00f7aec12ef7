import { ImproperlyConfiguredError } from '../errors.js';
import type { RefreshCookieOptions } from './refresh-cookie-options.js';

const prefix = 'SIMPLE_JWT_REFRESH_COOKIE';

function flag(env: Readonly<Record<string, string | undefined>>, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const normalized = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off', ''].includes(normalized)) return false;
  throw new ImproperlyConfiguredError(
    'refreshCookie',
    `${name} must be true or false, got ${JSON.stringify(raw)}`,
  );
}

/**
 * The `refreshCookie` option from `SIMPLE_JWT_REFRESH_COOKIE=true` and its `SIMPLE_JWT_REFRESH_COOKIE_NAME`,
 * `_PATH`, `_SAME_SITE`, `_SECURE`, `_DOMAIN` and `_REFRESH_IN_BODY` variables; `false` when the
 * cookie is not turned on. Values are validated by `createSimpleJwt`.
 */
export function refreshCookieFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): RefreshCookieOptions | false {
  if (!flag(env, prefix)) return false;
  const options: RefreshCookieOptions = {};
  const name = env[`${prefix}_NAME`];
  const path = env[`${prefix}_PATH`];
  const sameSite = env[`${prefix}_SAME_SITE`];
  const domain = env[`${prefix}_DOMAIN`];
  const secure = flag(env, `${prefix}_SECURE`);
  const refreshInBody = flag(env, `${prefix}_REFRESH_IN_BODY`);
  if (name) options.name = name;
  if (path) options.path = path;
  if (sameSite) options.sameSite = sameSite as NonNullable<RefreshCookieOptions['sameSite']>;
  if (domain) options.domain = domain;
  if (secure !== undefined) options.secure = secure;
  if (refreshInBody !== undefined) options.refreshInBody = refreshInBody;
  return options;
}
