import { describe, durationToSeconds } from '../duration.js';
import { ImproperlyConfiguredError } from '../errors.js';
import { collectionName } from '../store/mongo-token-store-options.js';
import type { ClientAddressHook } from './client-address.js';

/** The login throttling settings after validation: durations in seconds. */
export interface ResolvedLoginThrottleSettings {
  readonly loginThrottle: boolean;
  readonly loginThrottleUsernameFailures: number;
  readonly loginThrottleAddressFailures: number;
  readonly loginThrottleWait: number;
  readonly loginThrottleMaxWait: number;
  readonly loginThrottleResetAfter: number;
  readonly loginThrottleCollection: string;
  readonly loginThrottleClientAddress: ClientAddressHook;
}

function failuresSetting(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ImproperlyConfiguredError(name, `expected a whole number >= 1, got ${describe(value)}`);
  }
  return value;
}

function waitSetting(name: string, value: unknown): number {
  const seconds = durationToSeconds(name, value);
  if (seconds < 1) throw new ImproperlyConfiguredError(name, `at least 1 second, got ${describe(value)}`);
  return seconds;
}

/** Validates the `loginThrottle*` settings (merged with their defaults). */
export function resolveLoginThrottleSettings(merged: Record<string, unknown>): ResolvedLoginThrottleSettings {
  if (typeof merged['loginThrottle'] !== 'boolean') {
    throw new ImproperlyConfiguredError(
      'loginThrottle',
      `expected true or false, got ${describe(merged['loginThrottle'])}`,
    );
  }
  const hook = merged['loginThrottleClientAddress'];
  if (typeof hook !== 'function') {
    throw new ImproperlyConfiguredError(
      'loginThrottleClientAddress',
      `expected a function, got ${describe(hook)}`,
    );
  }
  const wait = waitSetting('loginThrottleWait', merged['loginThrottleWait']);
  const maxWait = waitSetting('loginThrottleMaxWait', merged['loginThrottleMaxWait']);
  if (maxWait < wait) {
    throw new ImproperlyConfiguredError('loginThrottleMaxWait', 'must not be shorter than loginThrottleWait');
  }
  const resetAfter = waitSetting('loginThrottleResetAfter', merged['loginThrottleResetAfter']);
  if (resetAfter < maxWait) {
    throw new ImproperlyConfiguredError(
      'loginThrottleResetAfter',
      'must not be shorter than loginThrottleMaxWait',
    );
  }
  return {
    loginThrottle: merged['loginThrottle'],
    loginThrottleUsernameFailures: failuresSetting(
      'loginThrottleUsernameFailures',
      merged['loginThrottleUsernameFailures'],
    ),
    loginThrottleAddressFailures: failuresSetting(
      'loginThrottleAddressFailures',
      merged['loginThrottleAddressFailures'],
    ),
    loginThrottleWait: wait,
    loginThrottleMaxWait: maxWait,
    loginThrottleResetAfter: resetAfter,
    loginThrottleCollection: collectionName('loginThrottleCollection', merged['loginThrottleCollection']),
    loginThrottleClientAddress: hook as ClientAddressHook,
  };
}
