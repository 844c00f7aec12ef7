#!/usr/bin/env node
import mongoose, { type Connection } from 'mongoose';
import { ImproperlyConfiguredError } from '../errors.js';
import { collectionName } from '../store/mongo-token-store-options.js';
import { createScryptPasswordHasher } from '../users/password-hasher.js';
import { createUserModel } from '../users/user-model.js';
import {
  type CommandOutput,
  isMainModule,
  isParseError,
  reasonOf,
  serverSelectionTimeoutMS,
  setting,
} from './command-support.js';
import { PromptCancelledError } from './hidden-prompt.js';
import { PasswordInputError, type PasswordSource } from './read-password.js';
import {
  CommandFailure,
  createUserCommand,
  listUsersCommand,
  setActiveCommand,
  setPasswordCommand,
  type UserCommandContext,
} from './user-commands.js';
import { type Invocation, parseInvocation } from './users-command-line.js';

const commandName = 'simple-jwt-users';

const usage = `Usage: ${commandName} <command> [options]

Manages the users of the ready user model (createUserModel) from a shell, like Django's
createsuperuser and changepassword. Passwords are hashed with the package's scrypt hasher.

Commands:
  create <username> [--staff] [--superuser] [--inactive]
                           adds a user (--superuser implies --staff)
  set-password <username>  changes a user's password
  deactivate <username>    stops a user from logging in (isActive false)
  activate <username>      lets a deactivated user log in again
  list [--json]            prints every user, never a password hash

Passwords are never taken from arguments (they show in ps and shell history). On a terminal the
password is asked twice, with echo off; otherwise stdin holds it, on one line:
  printf '%s\\n' "$PASSWORD" | ${commandName} create alice

Options:
  --uri <uri>  connection string of the database, instead of MONGODB_URI (arguments show in ps:
               keep a URI holding a password in the environment)
  -h, --help   prints this help

Environment:
  MONGODB_URI                  connection string of the database (required unless --uri)
  SIMPLE_JWT_USERS_COLLECTION  the users collection (default: users)

Exit status: 0 when done, 1 when the command failed (unknown or taken username, refused
password, database error), 2 for a usage or configuration error.`;

async function runCommand(
  { command, username, values }: Invocation,
  context: UserCommandContext,
): Promise<string[]> {
  switch (command) {
    case 'create':
      return [
        await createUserCommand(context, username, {
          staff: values.staff === true,
          superuser: values.superuser === true,
          inactive: values.inactive === true,
        }),
      ];
    case 'set-password':
      return [await setPasswordCommand(context, username)];
    case 'deactivate':
    case 'activate':
      return [await setActiveCommand(context, username, command === 'activate')];
    case 'list':
      return listUsersCommand(context, values.json === true);
  }
}

/**
 * The `simple-jwt-users` command, runnable in-process.
 * @param argv the arguments after the command name.
 * @param env reads `MONGODB_URI` and `SIMPLE_JWT_USERS_COLLECTION`.
 * @param passwords where new passwords are read (a terminal is prompted, a pipe is read).
 * @returns the exit code: 0 done, 1 the command failed, 2 usage or configuration error.
 */
export async function runSimpleJwtUsers(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  output: CommandOutput,
  passwords: PasswordSource,
): Promise<number> {
  const invocation = parseInvocation(argv);
  if (invocation === 'help') {
    output.log(usage);
    return 0;
  }
  if ('usageError' in invocation) {
    output.error(`${commandName}: ${invocation.usageError}. See --help.`);
    return 2;
  }
  const uri = invocation.values.uri || setting(env, 'MONGODB_URI');
  if (!uri) {
    output.error(
      `${commandName}: MONGODB_URI is not set; set it to the database's connection string (or pass --uri).`,
    );
    return 2;
  }
  let connection: Connection | undefined;
  try {
    const collection = collectionName(
      'SIMPLE_JWT_USERS_COLLECTION',
      setting(env, 'SIMPLE_JWT_USERS_COLLECTION') ?? 'users',
    );
    // No indexes or collections created behind the command's back: `create` ensures its index itself.
    connection = mongoose.createConnection(uri, {
      serverSelectionTimeoutMS,
      autoIndex: false,
      autoCreate: false,
    });
    await connection.asPromise();
    const context = {
      User: createUserModel(connection, { collection }),
      hasher: createScryptPasswordHasher(),
      passwords,
    };
    for (const line of await runCommand(invocation, context)) output.log(line);
    return 0;
  } catch (error) {
    if (error instanceof ImproperlyConfiguredError || isParseError(error)) {
      output.error(`${commandName}: ${reasonOf(error, uri)}`);
      return 2;
    }
    if (
      error instanceof CommandFailure ||
      error instanceof PasswordInputError ||
      error instanceof PromptCancelledError
    ) {
      output.error(`${commandName}: ${error.message}`);
      return 1;
    }
    output.error(`${commandName}: the database failed: ${reasonOf(error, uri)}`);
    return 1;
  } finally {
    await connection?.close(true).catch(() => undefined);
  }
}

if (isMainModule(import.meta.url)) {
  process.exitCode = await runSimpleJwtUsers(process.argv.slice(2), process.env, console, {
    stdin: process.stdin,
    prompts: process.stderr,
  });
}
