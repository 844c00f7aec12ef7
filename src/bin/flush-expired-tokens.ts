#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mongoose, { type Connection } from 'mongoose';
import { ImproperlyConfiguredError, TokenStoreUnavailableError } from '../errors.js';
import { flushExpiredTokens } from '../store/flush-expired-tokens.js';
import { resolveMongoTokenStoreOptions } from '../store/mongo-token-store-options.js';

/** Where the command writes: one line per call (`console` fits). */
export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
}

const commandName = 'flush-expired-tokens';

// The largest batch FerretDB v1 accepts: there every delete (and the query that bounds it) reads the
// whole collection, so fewer, larger batches flush much faster; on MongoDB it is an index range.
const defaultBatchSize = 30_000;

const usage = `Usage: ${commandName} [--batch-size=N] [--help]

Deletes expired records from the outstanding and blacklisted token collections (the port of
Simple JWT's flushexpiredtokens command). Meant for a daily cron job. Records are deleted in
range deletes of N records (default ${defaultBatchSize}, at most 30000); a flush of more than one
batch prints its progress after each.

Environment:
  MONGODB_URI                        connection string of the database (required)
  SIMPLE_JWT_OUTSTANDING_COLLECTION  outstanding tokens collection (default: outstanding_tokens)
  SIMPLE_JWT_BLACKLISTED_COLLECTION  blacklisted tokens collection (default: blacklisted_tokens)

Exit status: 0 when flushed, 1 when the database failed, 2 for a usage or configuration error.`;

// Short, so that an unreachable server fails the cron job in seconds rather than 30 s.
const serverSelectionTimeoutMS = 5000;
// Each batch of a daily flush may take a while on a large collection: allow more than the
// per-request default.
const flushTimeoutMs = 60_000;

const collectionLabel = { outstanding: 'outstanding', blacklisted: 'blacklisted' } as const;

/** First line of the underlying reason, with any password from the URI masked. */
function reasonOf(error: unknown, uri: string): string {
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

function isParseError(error: unknown): boolean {
  return error instanceof Error && error.name === 'MongoParseError';
}

function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The `flush-expired-tokens` command, runnable in-process.
 * @param argv the arguments after the command name.
 * @param env reads `MONGODB_URI`, `SIMPLE_JWT_OUTSTANDING_COLLECTION`, `SIMPLE_JWT_BLACKLISTED_COLLECTION`.
 * @returns the exit code: 0 flushed, 1 database error, 2 usage or configuration error.
 */
export async function runFlushExpiredTokens(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  output: CommandOutput,
): Promise<number> {
  let help: boolean | undefined;
  let batchSizeArgument: string | undefined;
  try {
    ({ help, 'batch-size': batchSizeArgument } = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean', short: 'h' }, 'batch-size': { type: 'string' } },
    }).values);
  } catch (error) {
    output.error(`${commandName}: ${(error as Error).message}. See --help.`);
    return 2;
  }
  if (help) {
    output.log(usage);
    return 0;
  }
  const flushBatchSize = batchSizeArgument === undefined ? defaultBatchSize : Number(batchSizeArgument);
  const uri = setting(env, 'MONGODB_URI');
  if (!uri) {
    output.error(`${commandName}: MONGODB_URI is not set; set it to the database's connection string.`);
    return 2;
  }
  const collections = {
    outstandingCollection: setting(env, 'SIMPLE_JWT_OUTSTANDING_COLLECTION'),
    blacklistedCollection: setting(env, 'SIMPLE_JWT_BLACKLISTED_COLLECTION'),
  };
  let connection: Connection | undefined;
  try {
    // Bad collection names fail before any connection attempt.
    resolveMongoTokenStoreOptions({ ...collections, flushBatchSize });
    connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS });
    await connection.asPromise();
    const result = await flushExpiredTokens({
      connection,
      ...collections,
      operationTimeoutMs: flushTimeoutMs,
      flushBatchSize,
      // Only a flush of more than one batch reports progress: a daily cron job's log stays one line.
      onProgress: ({ collection, deleted }) => {
        if (deleted >= flushBatchSize)
          output.log(`  ${collectionLabel[collection]}: ${deleted} deleted so far`);
      },
    });
    output.log(
      `Flushed ${result.outstanding} outstanding and ${result.blacklisted} blacklisted expired tokens.`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ImproperlyConfiguredError || isParseError(error)) {
      output.error(`${commandName}: ${reasonOf(error, uri)}`);
      return 2;
    }
    output.error(`${commandName}: the database failed: ${reasonOf(error, uri)}`);
    return 1;
  } finally {
    await connection?.close(true).catch(() => undefined);
  }
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    // npm installs bins as symlinks: compare real paths.
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  process.exitCode = await runFlushExpiredTokens(process.argv.slice(2), process.env, console);
}
