import { Readable } from 'node:stream';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { runSimpleJwtUsers } from '../../src/bin/simple-jwt-users.js';
import { findFreePort } from '../../src/dev-database/free-port.js';
import { createScryptPasswordHasher } from '../../src/users/password-hasher.js';
import { createUserModel } from '../../src/users/user-model.js';
import { freshDatabaseUri } from '../support/database.js';
import { FakeScreen, FakeTerminal } from './fake-terminal.js';

const uri = freshDatabaseUri('users_opts');
const connection = await mongoose.createConnection(uri).asPromise();
afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
});
const User = createUserModel(connection);
const hasher = createScryptPasswordHasher();

/** Runs the command in-process with `stdin` piped in (or a terminal); returns its exit code and lines. */
async function run(argv: string[], options: { stdin?: string | FakeTerminal; env?: NodeJS.ProcessEnv } = {}) {
  const { stdin = '', env = { MONGODB_URI: uri } } = options;
  const logs: string[] = [];
  const errors: string[] = [];
  const input = typeof stdin === 'string' ? Readable.from([Buffer.from(stdin)]) : stdin.keyboard;
  const screen = typeof stdin === 'string' ? new FakeScreen() : stdin.screen;
  const code = await runSimpleJwtUsers(
    argv,
    env,
    { log: (line) => logs.push(line), error: (line) => errors.push(line) },
    { stdin: input, prompts: screen },
  );
  return { code, logs, errors, prompted: screen.text };
}

const stored = (username: string, collection = User) =>
  collection
    .findOne({ username: { $eq: username } })
    .lean()
    .exec();

describe('create', () => {
  it.each([
    [['--staff'], { isStaff: true, isSuperuser: false, isActive: true }],
    [['--superuser'], { isStaff: true, isSuperuser: true, isActive: true }],
    [['--inactive'], { isStaff: false, isSuperuser: false, isActive: false }],
  ])('%o sets the flags %o', async (flags, fields) => {
    const username = `flags${flags[0]}`;
    expect(await run(['create', username, ...flags], { stdin: 'pw-for-flags\n' })).toMatchObject({ code: 0 });
    expect(await stored(username)).toMatchObject(fields);
  });

  it('never prompts when stdin is piped', async () => {
    const result = await run(['create', 'piped'], { stdin: 'piped-pw\n' });
    expect(result).toMatchObject({ code: 0, prompted: '' });
  });

  it.each([
    ['', "Blank passwords aren't allowed."],
    ['   \n', "Blank passwords aren't allowed."],
    [' padded\n', 'The password starts or ends with whitespace, which login strips: it could never log in.'],
    ['one\ntwo\n', 'stdin must hold the password on one line.'],
    [`${'x'.repeat(4097)}\n`, 'The password is longer than 4096 characters, the most login accepts.'],
  ])('refuses the piped password %j with exit 1 and creates nobody', async (stdin, message) => {
    const result = await run(['create', 'refused'], { stdin });
    expect(result).toMatchObject({ code: 1, logs: [], errors: [`simple-jwt-users: ${message}`] });
    expect(await stored('refused')).toBeNull();
  });

  it('takes a password of exactly 4096 characters and strips only one line ending', async () => {
    const password = 'é'.repeat(4096);
    expect(await run(['create', 'longest'], { stdin: `${password}\r\n` })).toMatchObject({ code: 0 });
    expect(await hasher.verify(password, (await stored('longest'))!.password)).toBe(true);
  });

  it('refuses one of two concurrent creates of a name with exit 1 (the unique index decides)', async () => {
    const results = await Promise.all([
      run(['create', 'racer'], { stdin: 'racer-pw-1\n' }),
      run(['create', 'racer'], { stdin: 'racer-pw-2\n' }),
    ]);
    expect(results.map((result) => result.code).sort()).toEqual([0, 1]);
    expect(results.flatMap((result) => result.errors)).toEqual([
      "simple-jwt-users: the username 'racer' is already taken.",
    ]);
    expect(await User.countDocuments({ username: 'racer' })).toBe(1);
  });

  it('stores the username NFKC-normalised, as createUser does, and finds it by either form', async () => {
    expect(await run(['create', '\ufb01le'], { stdin: 'ligature-pw\n' })).toMatchObject({
      logs: ["Created user 'file'."],
    });
    expect(await stored('file')).toMatchObject({ username: 'file' });
    expect((await run(['deactivate', '\ufb01le'])).logs).toEqual(["Deactivated 'file'."]);
  });

  it.each([
    ['', 'the username may not be blank.'],
    [' alice', 'the username starts or ends with whitespace, which login strips: it could never log in.'],
    ['u'.repeat(151), 'the username is longer than 150 characters.'],
  ])('refuses the username %j with exit 1', async (username, message) => {
    const result = await run(['create', username], { stdin: 'a-password\n' });
    expect(result).toMatchObject({ code: 1, errors: [`simple-jwt-users: ${message}`] });
  });

  it('prompts twice with echo off when stdin is a terminal', async () => {
    const terminal = new FakeTerminal()
      .answer('Password: ', 'typed-Secret-1')
      .answer('Password (again): ', 'typed-Secret-1');
    const result = await run(['create', 'prompted'], { stdin: terminal });
    expect(result).toMatchObject({ code: 0, logs: ["Created user 'prompted'."], errors: [] });
    expect(result.prompted).toBe('Password: \nPassword (again): \n');
    expect(terminal.rawModes).toEqual([true, false]);
    expect(await hasher.verify('typed-Secret-1', (await stored('prompted'))!.password)).toBe(true);
  });
});

describe('set-password, activate and deactivate', () => {
  it('exit 1 for a user that does not exist, without reading a password', async () => {
    for (const command of ['set-password', 'deactivate', 'activate']) {
      const result = await run([command, 'nobody'], { stdin: 'never-read\n' });
      expect(result).toMatchObject({
        code: 1,
        logs: [],
        errors: ["simple-jwt-users: user 'nobody' does not exist."],
      });
    }
  });

  it('keeps the old hash when the new password is refused', async () => {
    await run(['create', 'keeper'], { stdin: 'keeper-pw\n' });
    const before = (await stored('keeper'))!.password;
    expect(await run(['set-password', 'keeper'], { stdin: '\n' })).toMatchObject({ code: 1 });
    expect((await stored('keeper'))!.password).toBe(before);
  });

  it('says so when the user already has the state asked for', async () => {
    await run(['create', 'steady'], { stdin: 'steady-pw\n' });
    expect((await run(['activate', 'steady'])).logs).toEqual(["'steady' is already active."]);
    expect((await run(['deactivate', 'steady'])).logs).toEqual(["Deactivated 'steady'."]);
    expect((await run(['deactivate', 'steady'])).logs).toEqual(["'steady' is already inactive."]);
    expect(await stored('steady')).toMatchObject({ isActive: false });
  });
});

describe('list', () => {
  it('creates neither the collection nor its indexes in a database without users', async () => {
    const emptyUri = freshDatabaseUri('users_none');
    const result = await run(['list', '--json'], { env: { MONGODB_URI: emptyUri } });
    expect(result).toMatchObject({ code: 0, logs: ['[]'] });
    const empty = await mongoose.createConnection(emptyUri).asPromise();
    try {
      expect(await empty.db!.listCollections().toArray()).toEqual([]);
    } finally {
      await empty.dropDatabase();
      await empty.close();
    }
  });

  it('--json gives every listed field and no password', async () => {
    const lastLogin = new Date('2030-05-06T07:08:09.123Z');
    await run(['create', 'json-user', '--superuser'], { stdin: 'json-pw\n' });
    await User.updateOne({ username: 'json-user' }, { $set: { lastLogin } }).exec();
    const result = await run(['list', '--json']);
    expect(result.code).toBe(0);
    const users = JSON.parse(result.logs.join('\n')) as Record<string, unknown>[];
    const listed = users.find((user) => user['username'] === 'json-user');
    expect(Object.keys(listed ?? {}).sort()).toEqual(
      ['dateJoined', 'isActive', 'isStaff', 'isSuperuser', 'lastLogin', 'username'].sort(),
    );
    expect(listed).toMatchObject({ isSuperuser: true, lastLogin: lastLogin.toISOString() });
    expect(result.logs.join('\n')).not.toContain('scrypt');
  });

  it('shows the last login to the second and escapes control characters in usernames', async () => {
    await User.create({
      username: 'evil\u001b[2Jname',
      password: '!unusable',
      lastLogin: new Date('2030-01-02T03:04:05.678Z'),
    });
    const result = await run(['list']);
    const line = result.logs.find((text) => text.startsWith('evil'));
    expect(line).toMatch(/^evil\\u001b\[2Jname +yes +no +no +\S+ +2030-01-02T03:04:05Z$/);
    expect(result.logs.join('\n')).not.toContain('\u001b');
  });
});

describe('configuration and usage', () => {
  it('uses SIMPLE_JWT_USERS_COLLECTION and prefers --uri to MONGODB_URI', async () => {
    const env = { MONGODB_URI: 'mongodb://127.0.0.1:1/unused', SIMPLE_JWT_USERS_COLLECTION: 'accounts' };
    const result = await run(['create', 'elsewhere', '--uri', uri], { stdin: 'elsewhere-pw\n', env });
    expect(result).toMatchObject({ code: 0, errors: [] });
    const accounts = connection.collection('accounts');
    expect(await accounts.findOne({ username: 'elsewhere' })).toMatchObject({ isActive: true });
    expect(await stored('elsewhere')).toBeNull();
    // create builds the unique index itself: a database no server has started on refuses duplicates too.
    expect(await accounts.indexes()).toContainEqual(
      expect.objectContaining({ key: { username: 1 }, unique: true }),
    );
  });

  it.each([
    [[], /^a command is required: create, set-password, deactivate, activate, list\. See --help\.$/],
    [['remove', 'x'], /^unknown command 'remove'/],
    [['create'], /^create needs a username/],
    [['create', 'a', 'b'], /^unexpected argument 'b'/],
    [['list', 'a'], /^unexpected argument 'a'/],
    [['list', '--staff'], /^--staff does not apply to list/],
    [['deactivate', 'a', '--json'], /^--json does not apply to deactivate/],
    [['create', 'a', '--password', 'x'], /^Unknown option '--password'/],
  ])('exits 2 for %o without touching the database', async (argv, message) => {
    const result = await run(argv, { env: { MONGODB_URI: 'mongodb://127.0.0.1:1/unreachable' } });
    expect(result.code).toBe(2);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.replace(/^simple-jwt-users: /, '')).toMatch(message);
  });

  it.each([
    [{}, /MONGODB_URI is not set/],
    [{ MONGODB_URI: 'http://example.com' }, /simple-jwt-users: .*(scheme|mongodb)/i],
    [{ MONGODB_URI: uri, SIMPLE_JWT_USERS_COLLECTION: 'a$b' }, /'SIMPLE_JWT_USERS_COLLECTION'/],
  ])('exits 2 for the environment %o', async (env, message) => {
    const result = await run(['list'], { env });
    expect(result).toMatchObject({ code: 2, logs: [] });
    expect(result.errors.join('\n')).toMatch(message);
  });

  it('exits 1 with one line and no database password when the database cannot be reached', async () => {
    const env = { MONGODB_URI: `mongodb://admin:s3cret-db-pw@127.0.0.1:${await findFreePort()}/none` };
    const result = await run(['list'], { env });
    expect(result).toMatchObject({ code: 1, logs: [] });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^simple-jwt-users: the database failed: .+/);
    expect(result.errors[0]).not.toContain('s3cret-db-pw');
  });
});
