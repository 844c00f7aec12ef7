import type { Clock } from '../clock.js';
import type { TokenFamilyStore } from '../sessions/family-store.js';
import type { ResolvedSettings } from '../settings.js';
import type { TokenStore } from '../store/token-store.js';
import type { LoginThrottle } from '../throttle/login-throttle.js';
import type {
  BoundTokenClasses,
  RefreshTokenInstance,
  SlidingTokenInstance,
} from '../tokens/bind-token-classes.js';
import type { AuthenticateUser, UserAdapter } from '../users/user-adapter.js';

/**
 * The port of overriding Simple JWT's `get_token`: add custom claims to a new refresh or sliding
 * token. Claims set on a refresh token are copied into its access tokens.
 */
export type GetTokenHook<User> = (
  user: User,
  token: RefreshTokenInstance | SlidingTokenInstance,
) => void | Promise<void>;

/** What the token services need; built once by `createSimpleJwt`. */
export interface ServiceContext<User extends object> {
  readonly settings: ResolvedSettings;
  readonly tokens: BoundTokenClasses;
  readonly store: TokenStore | null;
  /** Token families (sessions); absent or `null` when families are not recorded. */
  readonly families?: TokenFamilyStore | null;
  /** A rotated-away refresh token presented again revokes its family (resolved `reuseDetection`). @default false */
  readonly reuseDetection?: boolean;
  /** `null` in stateless mode: refresh then skips the user checks. */
  readonly users: UserAdapter<User> | null;
  /** `null` when the instance cannot log users in (no user model and no `authenticate` option). */
  readonly authenticateUser: AuthenticateUser<User> | null;
  readonly getToken: GetTokenHook<User> | undefined;
  readonly now: Clock;
  /** Counts failed logins (`loginThrottle`); absent or `null` when off. */
  readonly loginThrottle?: LoginThrottle | null;
  revokeHashOf(passwordHash: string): string;
}
