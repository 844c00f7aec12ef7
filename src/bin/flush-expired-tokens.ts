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
  SIMPLE_JWT_FAMILY_COLLECTION       token families (sessions), also flushed (default: token_families)
  SIMPLE_JWT_LOGIN_THROTTLE_COLLECTION  login-attempt counters, also flushed (default: login_attempts)

Exit status: 0 when flushed, 1 when the database failed, 2 for a usage or configuration error.`;

// Each batch of a daily flush may take a while on a large collection: allow more than the
// per-request default.
const flushTimeoutMs = 60_000;

const collectionLabel = { outstanding: 'outstanding', blacklisted: 'blacklisted' } as const;

/**
 * The `flush-expired-tokens` command, runnable in-process.
 * @param argv the arguments after the command name.
 * @param env reads `MONGODB_URI` and the `SIMPLE_JWT_*_COLLECTION` names of the usage text.
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
    familyCollection: setting(env, 'SIMPLE_JWT_FAMILY_COLLECTION'),
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
      loginAttemptsCollection: setting(env, 'SIMPLE_JWT_LOGIN_THROTTLE_COLLECTION') ?? 'login_attempts',
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
    if (result.loginAttempts) output.log(`Flushed ${result.loginAttempts} expired login-attempt counters.`);
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
