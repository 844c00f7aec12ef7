import { spawn } from 'node:child_process';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { createSimpleJwt } from '../../src/simple-jwt.js';
import { createUserModel } from '../../src/users/user-model.js';
import { freshDatabaseUri } from '../support/database.js';
import { hmacSecret } from '../support/jwt-keys.js';

const uri = freshDatabaseUri('users_cmd');
// No automatic indexes: the unique username index must come from the command itself.
const connection = await mongoose.createConnection(uri, { autoIndex: false }).asPromise();
afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
});
const User = createUserModel(connection);
const jwt = createSimpleJwt({ settings: { signingKey: hmacSecret }, userModel: User });

/** Every password these tests give the command: none may ever appear in what it prints. */
const passwords = {
  alice: 'alice-first-Pa55word',
  aliceNew: 'alice-second-Pa55word',
  intruder: 'intruder-Pa55word',
  bob: 'bob-Pa55word',
};

interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real command in a child process, with only the given environment (plus PATH) and stdin. */
function runCommand(args: string[], env: Record<string, string>, stdin = ''): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/simple-jwt-users.ts', ...args], {
      cwd: process.cwd(),
      env: { PATH: process.env['PATH'] ?? '', ...env },
      timeout: 30_000,
    });
    const result = { code: null as number | null, stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      result.stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      result.stderr += text;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      for (const password of Object.values(passwords)) {
        expect(result.stdout + result.stderr).not.toContain(password);
      }
      resolve({ ...result, code });
    });
    child.stdin.end(stdin);
  });
}

const withDatabase = { MONGODB_URI: uri };

function login(username: string, password: string) {
  return jwt.obtainTokenPair({ username, password });
}

const refused = { code: 'NO_ACTIVE_ACCOUNT' };

describe('the simple-jwt-users command (child process)', () => {
  it('creates a user from piped stdin, hashed so that login accepts the password', async () => {
    const result = await runCommand(['create', 'alice'], withDatabase, `${passwords.alice}\n`);
    expect(result).toEqual({ code: 0, stdout: "Created user 'alice'.\n", stderr: '' });
    const stored = await User.findOne({ username: 'alice' }).orFail().lean().exec();
    // The package's hasher with its default cost (N = 2^15, r = 8, p = 1).
    expect(stored.password).toMatch(/^scrypt\$32768\$[^$]+\$8\$1\$/);
    expect(stored).toMatchObject({ isActive: true, isStaff: false, isSuperuser: false });
    const pair = await login('alice', passwords.alice);
    expect(pair.access).toEqual(expect.any(String));
  });

  it('refuses a taken username with exit 1 and leaves the user as it was', async () => {
    const before = await User.findOne({ username: 'alice' }).orFail().lean().exec();
    const result = await runCommand(['create', 'alice'], withDatabase, `${passwords.intruder}\n`);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe("simple-jwt-users: the username 'alice' is already taken.\n");
    const after = await User.findOne({ username: 'alice' }).orFail().lean().exec();
    expect(after.password).toBe(before.password);
    await expect(login('alice', passwords.intruder)).rejects.toMatchObject(refused);
  });

  it('set-password replaces the hash: the old password fails, the new one logs in', async () => {
    const result = await runCommand(['set-password', 'alice'], withDatabase, `${passwords.aliceNew}\n`);
    expect(result).toEqual({ code: 0, stdout: "Changed the password of 'alice'.\n", stderr: '' });
    await expect(login('alice', passwords.alice)).rejects.toMatchObject(refused);
    expect((await login('alice', passwords.aliceNew)).refresh).toEqual(expect.any(String));
  });

  it('deactivate makes login fail with NO_ACTIVE_ACCOUNT; activate lets the user back in', async () => {
    const deactivated = await runCommand(['deactivate', 'alice'], withDatabase);
    expect(deactivated).toEqual({ code: 0, stdout: "Deactivated 'alice'.\n", stderr: '' });
    await expect(login('alice', passwords.aliceNew)).rejects.toMatchObject(refused);
    const activated = await runCommand(['activate', 'alice'], withDatabase);
    expect(activated).toEqual({ code: 0, stdout: "Activated 'alice'.\n", stderr: '' });
    expect((await login('alice', passwords.aliceNew)).access).toEqual(expect.any(String));
  });

  it('lists the users in a table that never contains a hash', async () => {
    const created = await runCommand(['create', 'bob', '--staff'], withDatabase, passwords.bob);
    expect(created.code).toBe(0);
    const result = await runCommand(['list'], withDatabase);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^USERNAME +ACTIVE +STAFF +SUPERUSER +DATE JOINED +LAST LOGIN$/);
    // alice has logged in through obtainTokenPair above (updateLastLogin is off: still "never").
    expect(lines[1]).toMatch(/^alice +yes +no +no +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +never$/);
    expect(lines[2]).toMatch(/^bob +yes +yes +no +\d{4}-/);
    expect(lines).toHaveLength(3);
    const hashes = await User.find({}).lean().exec();
    for (const { password } of hashes) expect(result.stdout).not.toContain(password.split('$')[5]);
    expect(result.stdout).not.toContain('scrypt');
  });

  it('exits 2 and names MONGODB_URI when it is missing, before reading any password', async () => {
    const result = await runCommand(['create', 'carol'], {}, `${passwords.intruder}\n`);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^simple-jwt-users: MONGODB_URI is not set.*\n$/);
    expect(await User.exists({ username: 'carol' })).toBeNull();
  });

  it('prints the usage for --help, saying passwords never come from arguments', async () => {
    const result = await runCommand(['--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: simple-jwt-users <command>/);
    expect(result.stdout).toContain('never taken from arguments');
  });
});
