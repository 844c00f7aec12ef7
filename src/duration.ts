import ms from 'ms';
import { ImproperlyConfiguredError } from './errors.js';

/** A duration: seconds as a number, or a string such as `'5m'`, `'1d'`, `'90s'` (the `ms` package's syntax). */
export type Duration = number | string;

/** Whole or fractional seconds for `value`; throws an error naming `setting` when it is not a duration. */
export function durationToSeconds(setting: string, value: unknown): number {
  let seconds: number | undefined;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && value.trim() !== '') {
    const trimmed = value.trim();
    // A bare number in a string (e.g. from an environment variable) means seconds, as with numbers.
    const parsed = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : ms(trimmed as ms.StringValue);
    seconds = typeof parsed === 'number' ? parsed / 1000 : undefined;
  }
  if (seconds === undefined || !Number.isFinite(seconds)) {
    throw new ImproperlyConfiguredError(
      setting,
      `expected seconds or a duration such as '5m', got ${describe(value)}`,
    );
  }
  if (seconds < 0)
    throw new ImproperlyConfiguredError(setting, `must not be negative, got ${describe(value)}`);
  return seconds;
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
