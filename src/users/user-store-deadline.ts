import { TokenStoreUnavailableError } from '../errors.js';
import { StoreOperationTimeoutError } from '../store/store-errors.js';
import type { UserAdapter } from './user-adapter.js';

/**
 * Settles `call()` within `timeoutMs`: past it, rejects with `TokenStoreUnavailableError` (fail closed);
 * any earlier outcome passes through unchanged. A hung database (or mongoose buffering commands while
 * disconnected) must not hold a login or a request for longer than the token store may take.
 */
export async function withinDeadline<T>(timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TokenStoreUnavailableError({ cause: new StoreOperationTimeoutError(timeoutMs) })),
      timeoutMs,
    );
  });
  const running = call();
  // The call may still settle after the deadline: its late failure must not go unhandled.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** `users` with its database calls (`findById`, `updateLastLogin`) bounded by `timeoutMs`. */
export function withUserStoreDeadline<User>(users: UserAdapter<User>, timeoutMs: number): UserAdapter<User> {
  return {
    findById: (id) => withinDeadline(timeoutMs, () => users.findById(id)),
    idOf: (user) => users.idOf(user),
    isActive: (user) => users.isActive(user),
    passwordHashOf: (user) => users.passwordHashOf(user),
    updateLastLogin: (user, at) => withinDeadline(timeoutMs, () => users.updateLastLogin(user, at)),
    ...(users.tokensValidAfterOf
      ? { tokensValidAfterOf: (user: User) => users.tokensValidAfterOf?.(user) ?? null }
      : {}),
    ...(users.setTokensValidAfter
      ? {
          setTokensValidAfter: (user: User, at: Date) =>
            withinDeadline(timeoutMs, async () => users.setTokensValidAfter?.(user, at)),
        }
      : {}),
  };
}
