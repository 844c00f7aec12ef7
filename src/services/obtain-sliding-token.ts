import type { Credentials } from '../users/user-adapter.js';
import { loginUser, recordLogin } from './login.js';
import { hookFor, type LoginOptions } from './obtain-token-pair.js';
import type { ServiceContext } from './service-context.js';

/** TokenObtainSlidingSerializer: credentials in, one sliding token out (recorded when the blacklist is on). */
export async function obtainSlidingToken<User extends object>(
  context: ServiceContext<User>,
  credentials: Credentials,
  login: LoginOptions = {},
): Promise<{ token: string }> {
  const user = await loginUser(context, credentials, login);
  const sliding = await context.tokens.SlidingToken.forUser(user, {
    beforeRecord: hookFor(context, user),
    userAgent: login.userAgent,
  });
  const result = { token: sliding.toString() };
  await recordLogin(context, user);
  return result;
}
