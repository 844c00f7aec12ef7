import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TokenStoreUnavailableError } from '../errors.js';

/** Where a command writes: one line per call (`console` fits). */
export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
}

// Short, so that an unreachable server fails a command in seconds rather than 30 s.
export const serverSelectionTimeoutMS = 5000;

/** First line of the underlying reason, with any password from the URI masked. */
export function reasonOf(error: unknown, uri: string): string {
  const root = error instanceof TokenStoreUnavailableError && error.cause !== undefined ? error.cause : error;
  const text = (root instanceof Error ? root.message : String(root)).split('\n')[0] ?? '';
  let password = '';
  try {
    password = decodeURIComponent(new URL(uri).password);
  } catch {
    // Not parseable as a URL: nothing to mask beyond what the driver reports.
  }
  return password ? text.split(password).join('****') : text;
}

/** The driver's error for a connection string it cannot read: a configuration error, not an outage. */
export function isParseError(error: unknown): boolean {
  return error instanceof Error && error.name === 'MongoParseError';
}

/** An environment variable, with an empty value counting as unset. */
export function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Whether the module at `moduleUrl` is the script Node was started with. */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    // npm installs bins as symlinks: compare real paths.
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** Text from the database (usernames come from sign-ups) with control characters escaped, never sent raw to a terminal. */
export function printable(text: string): string {
  return text.replace(
    /\p{Cc}/gu,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
