import type { KeyObject } from 'node:crypto';
import { describe } from '../duration.js';
import { ImproperlyConfiguredError } from '../errors.js';
import type { KeyMaterial } from '../settings.js';

/** One key of `signingKeys` or `retiredKeys`, with the `kid` it is known by (its RFC 7638 thumbprint when not given). */
export interface KeyEntry {
  readonly key: KeyMaterial;
  readonly kid?: string | undefined;
}

/** What `signingKeys` and `retiredKeys` accept: keys, or keys with their `kid`. */
export type KeyList = readonly (KeyMaterial | KeyEntry)[];

function isKeyMaterial(value: unknown): value is KeyMaterial {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as KeyObject).type === 'string' &&
    'export' in value
  );
}

function entryOf(name: string, item: unknown, index: number): KeyEntry {
  const at = `${name}[${index}]`;
  if (isKeyMaterial(item)) {
    if (item === '') throw new ImproperlyConfiguredError(at, 'is an empty key');
    return Object.freeze({ key: item });
  }
  if (typeof item !== 'object' || item === null || !('key' in item) || !isKeyMaterial(item.key)) {
    throw new ImproperlyConfiguredError(
      at,
      `expected a key (string, Buffer or KeyObject) or { key, kid }, got ${describe(item)}`,
    );
  }
  const kid: unknown = 'kid' in item ? item.kid : undefined;
  if (kid !== undefined && (typeof kid !== 'string' || kid.trim() === '' || kid.length > 255)) {
    throw new ImproperlyConfiguredError(
      `${at}.kid`,
      `expected a string of 1 to 255 characters, got ${describe(kid)}`,
    );
  }
  return Object.freeze({ key: item.key, kid });
}

/**
 * Validates a key list: `undefined` stays unset, anything else must be a non-empty array of keys or
 * `{ key, kid }` objects. Whether each key fits the algorithm is checked when the instance is created.
 * @throws ImproperlyConfiguredError naming the setting and the index at fault.
 */
export function keyListSetting(name: string, value: unknown): readonly KeyEntry[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new ImproperlyConfiguredError(name, `expected a non-empty list of keys, got ${describe(value)}`);
  }
  return Object.freeze(value.map((item, index) => entryOf(name, item, index)));
}

const pemBlock = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * A key list from one environment variable: a JSON array (of key strings or `{ "key", "kid" }`
 * objects), or one or more PEM blocks one after the other (text between blocks, such as the
 * `kid:` line `simple-jwt-keys` prints, is ignored), or else a single key.
 * @throws ImproperlyConfiguredError for a value that starts like JSON but does not parse.
 */
export function keyListFromEnv(setting: string, envName: string, raw: string): unknown {
  const text = raw.trim();
  if (text === '') return undefined;
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ImproperlyConfiguredError(
        setting,
        `${envName} starts with '[' but is not a JSON array (${(error as Error).message})`,
      );
    }
  }
  const blocks = text.match(pemBlock);
  return blocks ?? [text];
}
