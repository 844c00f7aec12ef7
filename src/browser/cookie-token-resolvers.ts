import { TokenError } from '../errors.js';
import type { LoginOptions } from '../services/obtain-token-pair.js';
import type { SimpleJwt } from '../simple-jwt.js';
import type { Credentials } from '../users/user-adapter.js';
import type { RefreshCookieTransport } from './refresh-cookie-transport.js';

/**
 * The token mutations with the refresh cookie on. Login sets the cookie. A token read from the cookie
 * is answered through the cookie (rotation replaces it, logout deletes it); a token given as the
 * argument is answered in the body as without the cookie, so other clients keep working.
 */
export function cookieTokenResolvers(jwt: SimpleJwt<object>, cookie: RefreshCookieTransport) {
  const { refreshInBody } = cookie.options;
  const slidingClaim = jwt.settings.slidingTokenRefreshExpClaim;
  return {
    async obtainPair(context: unknown, credentials: Credentials, login?: LoginOptions) {
      const pair = await jwt.obtainTokenPair(credentials, login);
      cookie.issue(context, pair.refresh, 'exp');
      return refreshInBody ? pair : { access: pair.access, refresh: null };
    },
    async refresh(context: unknown, argument: unknown) {
      const { token, fromCookie } = cookie.tokenFrom(context, argument as string | null | undefined);
      const result = await jwt.refreshToken(token);
      if (!fromCookie || result.refresh === undefined) return result;
      cookie.issue(context, result.refresh, 'exp');
      return refreshInBody ? result : { access: result.access };
    },
    async blacklist(context: unknown, argument: unknown) {
      const { token, fromCookie } = cookie.tokenFrom(context, argument as string | null | undefined);
      try {
        const result = await jwt.blacklistToken(token);
        if (fromCookie) cookie.clear(context);
        return result;
      } catch (error) {
        // An invalid, expired or already blacklisted cookie is of no use: delete it. An outage (503)
        // keeps it, so that the logout can be tried again.
        if (fromCookie && error instanceof TokenError) cookie.clear(context);
        throw error;
      }
    },
    async obtainSliding(context: unknown, credentials: Credentials, login?: LoginOptions) {
      const result = await jwt.obtainSlidingToken(credentials, login);
      cookie.issue(context, result.token, slidingClaim);
      return result;
    },
    async refreshSliding(context: unknown, argument: unknown) {
      const { token, fromCookie } = cookie.tokenFrom(context, argument as string | null | undefined);
      const result = await jwt.refreshSlidingToken(token);
      if (fromCookie) cookie.issue(context, result.token, slidingClaim);
      return result;
    },
  };
}
