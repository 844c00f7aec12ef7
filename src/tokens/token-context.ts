import type { TokenBackend } from '../backend/token-backend.js';
import type { Clock } from '../clock.js';
import type { TokenFamilyStore } from '../sessions/family-store.js';
import type { ResolvedSettings } from '../settings.js';
import type { TokenStore } from '../store/token-store.js';
import type { UserAdapter } from '../users/user-adapter.js';

/** What token classes read of a user (method syntax keeps any `UserAdapter<User>` assignable). */
export type TokenUserReader = Pick<UserAdapter<object>, 'idOf' | 'isActive' | 'passwordHashOf'>;

/**
 * Everything a token needs from its `SimpleJwt` instance. Token classes are bound to one context
 * (`bindTokenClasses(context)`), so two instances with different settings never share state.
 */
export interface TokenContext {
  readonly settings: ResolvedSettings;
  readonly backend: TokenBackend;
  /** `null` when the blacklist is off: then nothing is ever written or looked up. */
  readonly store: TokenStore | null;
  /** Token families (sessions); absent or `null` when families are not recorded. */
  readonly families?: TokenFamilyStore | null;
  readonly now: Clock;
  readonly users: TokenUserReader;
  /** Keyed hash of a stored password hash, for `checkRevokeToken` (HMAC-SHA256, uppercase hex). */
  revokeHashOf(passwordHash: string): string;
  /** Logs warnings (e.g. a token created for an inactive user). */
  warn(message: string): void;
}
