import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Clock } from '../clock.js';
import { TooManyAttemptsError } from '../errors.js';
import type { ResolvedSettings } from '../settings.js';
import { normalizeAddress } from './client-address.js';
import {
  type CounterPolicy,
  createLoginAttemptsCollection,
  type LoginAttemptsCollection,
} from './login-attempts-collection.js';

/** Where a login comes from: the GraphQL context (for `loginThrottleClientAddress`) or the address itself. */
export interface LoginRequest {
  /** The GraphQL context of the login mutation, handed to `loginThrottleClientAddress`. */
  readonly context?: unknown;
  /** The client's address when the caller knows it; wins over the hook. `null`: unknown. */
  readonly clientAddress?: string | null | undefined;
}

/** A login attempt that was let through; report its success, a failure needs nothing (it stays counted). */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

/** Counts failed logins per username and per client address; refuses with TOO_MANY_ATTEMPTS. */
export interface LoginThrottle {
  /**
   * Counts the attempt before any credential check, for known and unknown usernames alike.
   * @throws TooManyAttemptsError when the username or the address must wait (nothing is hashed then).
   */
  begin(username: unknown, request: LoginRequest): Promise<LoginAttempt>;
  /** Deletes counters past their `expiresAt`; returns how many. */
  flushExpired(now: Date): Promise<number>;
}

/**
 * The counter key of a username: case, surrounding white space and Unicode compatibility forms
 * folded (so `Alice`, ` alice` and `ａｌｉｃｅ` share one budget), then hashed, so that the collection
 * holds no typed usernames (nor passwords typed into the username field).
 */
export function usernameKey(username: string): string {
  const folded = username.normalize('NFKC').trim().toLowerCase();
  return `u:${createHash('sha256').update(folded, 'utf8').digest('base64url')}`;
}

/** The counter key of a client address. */
export function addressKey(address: string): string {
  return `a:${normalizeAddress(address).slice(0, 200)}`;
}

function policies(settings: ResolvedSettings): { username: CounterPolicy; address: CounterPolicy } {
  const shared = {
    waitMs: settings.loginThrottleWait * 1000,
    maxWaitMs: settings.loginThrottleMaxWait * 1000,
    resetAfterMs: settings.loginThrottleResetAfter * 1000,
  };
  return {
    username: { ...shared, limit: settings.loginThrottleUsernameFailures },
    address: { ...shared, limit: settings.loginThrottleAddressFailures },
  };
}

/** The throttle of one `SimpleJwt` instance, on the collection `loginThrottleCollection`. */
export function createLoginThrottle(
  connection: Connection,
  settings: ResolvedSettings,
  now: Clock,
  operationTimeoutMs: number,
): LoginThrottle {
  const attempts: LoginAttemptsCollection = createLoginAttemptsCollection(
    connection,
    settings.loginThrottleCollection,
    operationTimeoutMs,
  );
  const policy = policies(settings);

  function addressOf(request: LoginRequest): string | null {
    const address =
      request.clientAddress !== undefined
        ? request.clientAddress
        : settings.loginThrottleClientAddress(request.context);
    return typeof address === 'string' && address.trim() !== '' ? address : null;
  }

  return {
    async begin(username, request) {
      const at = now();
      const address = addressOf(request);
      const counters: [string, CounterPolicy][] = [];
      if (typeof username === 'string') counters.push([usernameKey(username), policy.username]);
      if (address !== null) counters.push([addressKey(address), policy.address]);
      const reservations = await Promise.all(counters.map(([key, rule]) => attempts.reserve(key, rule, at)));
      let retryAt = 0;
      const taken: { key: string; ticket: string }[] = [];
      reservations.forEach((reservation, index) => {
        if (reservation.allowed) taken.push({ key: counters[index]?.[0] ?? '', ticket: reservation.ticket });
        else retryAt = Math.max(retryAt, reservation.retryAt.getTime());
      });
      if (retryAt > 0) {
        // Refused before any check: the counters that did count this attempt get it back.
        await Promise.all(taken.map(({ ticket }) => attempts.refund(ticket)));
        throw new TooManyAttemptsError(Math.max(1, Math.ceil((retryAt - at.getTime()) / 1000)));
      }
      return {
        // Success resets the username's count; the address only gets this attempt back, so that
        // logging into one's own account does not clear the address's failures on others.
        succeeded: async () => {
          await Promise.all(
            taken.map(({ key, ticket }) =>
              key.startsWith('u:') ? attempts.reset(key) : attempts.refund(ticket),
            ),
          );
        },
      };
    },
    flushExpired: (at) => attempts.flushExpired(at),
  };
}
