import type { Clock } from '../clock.js';
import type { ResolvedSettings } from '../settings.js';
import type { TokenStore } from '../store/token-store.js';
import type { UserAdapter } from '../users/user-adapter.js';
import { familyIdOf } from './family-claims.js';
import { type FamilyRevokeReason, familyRevokeReasons, type TokenFamilyStore } from './family-store.js';

/** One live session of a user, as `tokenSessions` lists it. */
export interface TokenSession {
  /** The family id. */
  readonly id: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
  readonly userAgent: string | null;
  /** Whether this is the family of the token the request was authenticated with. */
  readonly current: boolean;
}

/** What the session functions need; built once by `createSimpleJwt`. */
export interface SessionContext<User> {
  readonly settings: ResolvedSettings;
  readonly store: TokenStore | null;
  readonly families: TokenFamilyStore | null;
  readonly users: UserAdapter<User> | null;
  readonly now: Clock;
}

interface ClaimReader {
  get(claim: string): unknown;
  set(claim: string, value: unknown): void;
  has(claim: string): boolean;
}

function checkedReason(reason: unknown): FamilyRevokeReason {
  if (!(familyRevokeReasons as readonly unknown[]).includes(reason)) {
    throw new TypeError(`revoke reason must be one of ${familyRevokeReasons.join(', ')}`);
  }
  return reason as FamilyRevokeReason;
}

/** The user's live sessions, most recently used first; `currentToken` marks its own. */
export async function listSessions<User>(
  context: SessionContext<User>,
  userId: string,
  currentToken: ClaimReader | null,
): Promise<TokenSession[]> {
  if (!context.families) return [];
  const currentId = currentToken ? familyIdOf(currentToken, context.settings) : null;
  const records = await context.families.liveFamiliesOf(userId, context.now());
  return records.map((record) => ({
    id: record.id,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    userAgent: record.userAgent,
    current: record.id === currentId,
  }));
}

/**
 * Revokes one session: every refresh, sliding and (in database mode) access token of the family
 * fails from now on. With `userId`, only a session of that user (another user's id is "not found").
 * @returns 1 when this call revoked it, 0 when it was unknown, another user's, or revoked already.
 */
export async function revokeSession<User>(
  context: SessionContext<User>,
  familyId: string,
  options: { readonly userId?: string | undefined; readonly reason?: FamilyRevokeReason } = {},
): Promise<number> {
  if (!context.families || typeof familyId !== 'string' || familyId === '') return 0;
  const reason = checkedReason(options.reason ?? 'admin');
  return (await context.families.revokeFamily(familyId, reason, context.now(), options.userId)) ? 1 : 0;
}

/**
 * "Log out everywhere": revokes every session of the user, blacklists their outstanding refresh
 * and sliding tokens and, when the user model has the `tokensValidAfterField`, refuses every token
 * issued before now (access tokens without a family included) in database mode. All three at once.
 * @returns how many sessions it revoked.
 */
export async function revokeAllSessionsOf<User>(
  context: SessionContext<User>,
  userId: string,
  user: User | null,
  reason: FamilyRevokeReason = 'logout-all',
): Promise<number> {
  const { users, families, store } = context;
  const checked = checkedReason(reason);
  const now = context.now();
  const [revoked] = await Promise.all([
    families ? families.revokeFamiliesOf(userId, checked, now) : 0,
    store ? store.blacklistAllForUser(userId, now) : 0,
    user !== null ? users?.setTokensValidAfter?.(user, now) : undefined,
  ]);
  return revoked;
}
