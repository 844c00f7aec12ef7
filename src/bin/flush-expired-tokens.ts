#!/usr/bin/env node
import { parseArgs } from 'node:util';
import mongoose, { type Connection } from 'mongoose';
import { ImproperlyConfiguredError } from '../errors.js';
import { flushExpiredTokens } from '../store/flush-expired-tokens.js';
import { resolveMongoTokenStoreOptions } from '../store/mongo-token-store-options.js';
import {
  type CommandOutput,
  isMainModule,
  isParseError,
  reasonOf,
  serverSelectionTimeoutMS,
  setting,
} from './command-support.js';

export type { CommandOutput } from './command-support.js';

const commandName = 'flush-expired-tokens';

const usage = `Usage: ${commandName} [--help]

Deletes expired records from the outstanding and blacklisted token collections (the port of
Simple JWT's flushexpiredtokens command). Meant for a daily cron job.

Environment:
  MONGODB_URI                        connection string of the database (required)
  SIMPLE_JWT_OUTSTANDING_COLLECTION  outstanding tokens collection (default: outstanding_tokens)
  SIMPLE_JWT_BLACKLISTED_COLLECTION  blacklisted tokens collection (default: blacklisted_tokens)

Exit status: 0 when flushed, 1 when the database failed, 2 for a usage or configuration error.`;

// A daily flush may delete many records: allow more than the per-request default.
const flushTimeoutMs = 60_000;

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
  try {
    ({ help } = parseArgs({ args: [...argv], options: { help: { type: 'boolean', short: 'h' } } }).values);
  } catch (error) {
    output.error(`${commandName}: ${(error as Error).message}. See --help.`);
    return 2;
  }
  if (help) {
    output.log(usage);
    return 0;
  }
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
    resolveMongoTokenStoreOptions(collections);
    connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS });
    await connection.asPromise();
    const result = await flushExpiredTokens({
      connection,
      ...collections,
      operationTimeoutMs: flushTimeoutMs,
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

if (isMainModule(import.meta.url)) {
  process.exitCode = await runFlushExpiredTokens(process.argv.slice(2), process.env, console);
}
