import type { LoginRequest } from '../throttle/login-throttle.js';
import type { Credentials } from '../users/user-adapter.js';
import { loginUser, recordLogin } from './login.js';
import type { ServiceContext } from './service-context.js';

/** What the login request tells the throttle (client address) and the token family it starts. */
export interface LoginOptions extends LoginRequest {
  /** The request's `User-Agent` header, shown in `tokenSessions`. */
  readonly userAgent?: string | null | undefined;
}

export interface TokenPair {
  readonly refresh: string;
  readonly access: string;
}

/**
 * TokenObtainPairSerializer: credentials in, a refresh token (recorded as outstanding when the
 * blacklist is on, before it is returned) and its access token out.
 */
export async function obtainTokenPair<User extends object>(
  context: ServiceContext<User>,
  credentials: Credentials,
  login: LoginOptions = {},
): Promise<TokenPair> {
  const user = await loginUser(context, credentials, login);
  const refresh = await context.tokens.RefreshToken.forUser(user, {
    beforeRecord: hookFor(context, user),
    userAgent: login.userAgent,
  });
  const pair = { refresh: refresh.toString(), access: refresh.accessToken.toString() };
  await recordLogin(context, user);
  return pair;
}

/** Runs the `getToken` hook before the token is recorded, so the record and the token agree. */
export function hookFor<User extends object>(context: ServiceContext<User>, user: User) {
  const hook = context.getToken;
  return hook ? (token: Parameters<typeof hook>[1]) => hook(user, token) : undefined;
}
