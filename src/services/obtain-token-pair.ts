import type { LoginRequest } from '../throttle/login-throttle.js';
import type { Credentials } from '../users/user-adapter.js';
import { loginUser, recordLogin } from './login.js';
import type { ServiceContext } from './service-context.js';

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
  request: LoginRequest = {},
): Promise<TokenPair> {
  const user = await loginUser(context, credentials, request);
  const refresh = await context.tokens.RefreshToken.forUser(user, { beforeRecord: hookFor(context, user) });
  const pair = { refresh: refresh.toString(), access: refresh.accessToken.toString() };
  await recordLogin(context, user);
  return pair;
}

/** Runs the `getToken` hook before the token is recorded, so the record and the token agree. */
export function hookFor<User extends object>(context: ServiceContext<User>, user: User) {
  const hook = context.getToken;
  return hook ? (token: Parameters<typeof hook>[1]) => hook(user, token) : undefined;
}
