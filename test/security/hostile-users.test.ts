import * as crypto from 'node:crypto';
import { createUser, SimpleJwtError, setPassword } from 'pothos-plugin-simple-jwt';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  expectNoLeak,
  expectRefused,
  hostileApp,
  hostileDatabase,
  newJti,
  operations,
  password,
  type Refusal,
  signWithOurKey,
  tokenPattern,
} from './fixtures/hostile-app.js';
import { expectTokenRefused, invalidToken, type Target, typeFor } from './fixtures/token-battery.js';

// Counts the key derivations below the password hasher, as test/users/hash-computations.test.ts does.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, scrypt: vi.fn(actual.scrypt) };
});
const scrypt = vi.mocked(crypto.scrypt);

// Hostile user ids in tokens we signed, users deleted, deactivated or with a changed password, and
// hostile credentials as GraphQL variables. updateLastLogin is on: a failed login must write nothing.
const database = await hostileDatabase('sec_users');
const app = await hostileApp(database, { updateLastLogin: true });
const revokeApp = await hostileApp(database, { checkRevokeToken: true });
const now = database.clock.seconds();
// A block body: a function returned from beforeEach would be called as its teardown.
beforeEach(() => {
  scrypt.mockClear();
});

function tokenFor(target: Target, userId: unknown): string {
  const claims: Record<string, unknown> = {
    token_type: typeFor[target],
    exp: now + 300,
    iat: now,
    jti: newJti(),
  };
  claims['user_id'] = userId;
  if (target === 'refreshSliding') claims['refresh_exp'] = now + 3600;
  return signWithOurKey(claims);
}

const noUser = invalidToken('Token contained no recognizable user identification');
const userNotFound: Refusal = { status: 401, code: 'USER_NOT_FOUND', message: 'User not found' };
const userInactive: Refusal = { status: 401, code: 'USER_INACTIVE', message: 'User is inactive' };
const noAccount: Refusal = {
  status: 401,
  code: 'NO_ACTIVE_ACCOUNT',
  message: 'No active account found for the given token.',
};
const demo = () => database.ids.demo;

describe('hostile user ids in tokens we signed', () => {
  it.each([
    ['an integer (read as "12345")', () => 12_345, userNotFound],
    ['a fraction', () => 1.5, noUser],
    ['a huge number', () => 1e300, noUser],
    ['a boolean', () => true, noUser],
    ['"abc"', () => 'abc', userNotFound],
    ['23 hex digits', () => demo().slice(0, 23), userNotFound],
    ['25 hex digits', () => `${demo()}0`, userNotFound],
    ['the demo id in upper case (castable)', () => demo().toUpperCase(), userNotFound],
    ['the demo id with a space', () => ` ${demo()}`, userNotFound],
    ['12 characters (castable to an ObjectId)', () => 'aaaaaaaaaaaa', userNotFound],
    ['the text {"$ne":null}', () => '{"$ne":null}', userNotFound],
    ['an operator object {$ne: null}', () => ({ $ne: null }), noUser],
    ['an operator object {$gt: ""}', () => ({ $gt: '' }), noUser],
    ['{_id: <demo id>}', () => ({ _id: demo() }), noUser],
    ['a list holding the demo id', () => [demo()], noUser],
  ])('%s: no user, no cast error, nothing written', async (_name, userId, header) => {
    await expectTokenRefused(
      database,
      app,
      (target) => tokenFor(target, userId()),
      { header, refresh: noAccount, refreshSliding: noAccount },
      { reads: true },
    );
  });

  it.each([
    ['null', null],
    ['empty', ''],
  ])('refuses a %s user id in the header', async (_name, userId) => {
    await expectTokenRefused(database, app, (target) => tokenFor(target, userId), { header: noUser });
  });
});

describe('users who lost access after their tokens were issued', () => {
  it('refuses a deactivated, then a deleted user everywhere a user is needed', async () => {
    const doomed = await createUser(app.User, { username: 'doomed', password }, database.hasher);
    const login = await app.post({ query: operations.obtain, variables: { username: 'doomed', password } });
    const pair = login.data?.['tokenObtainPair'] as { access: string; refresh: string };
    const sliding = await app.jwt.obtainSlidingToken({ username: 'doomed', password });
    const tokens = (target: Target) =>
      target === 'header' ? pair.access : target === 'refresh' ? pair.refresh : sliding.token;

    await app.User.updateOne({ _id: doomed._id }, { $set: { isActive: false } });
    await expectTokenRefused(
      database,
      app,
      tokens,
      { header: userInactive, refresh: noAccount, refreshSliding: noAccount },
      { reads: true },
    );
    await app.User.deleteOne({ _id: doomed._id });
    await expectTokenRefused(
      database,
      app,
      tokens,
      { header: userNotFound, refresh: noAccount, refreshSliding: noAccount },
      { reads: true },
    );
  });

  it('refuses tokens issued before a password change (checkRevokeToken), blacklisting the refresh token', async () => {
    const changer = await createUser(revokeApp.User, { username: 'changer', password }, database.hasher);
    const pair = await revokeApp.jwt.obtainTokenPair({ username: 'changer', password });
    await setPassword(changer, 'a new password', database.hasher);
    await changer.save();
    const changed: Refusal = {
      status: 401,
      code: 'PASSWORD_CHANGED',
      message: "The user's password has been changed.",
    };
    await expectTokenRefused(database, revokeApp, () => pair.access, { header: changed }, { reads: true });
    const before = await database.state();
    expectRefused(
      await revokeApp.post({ query: operations.refresh, variables: { refresh: pair.refresh } }),
      changed,
    );
    // The documented write: the stale refresh token is blacklisted, so it stays dead after a reset.
    expect(await database.state()).toEqual({ ...before, blacklisted: before.blacklisted + 1 });
    expectRefused(
      await revokeApp.post({ query: operations.refresh, variables: { refresh: pair.refresh } }),
      invalidToken('Token is blacklisted'),
    );
  });
});

const noActiveAccount: Refusal = {
  status: 401,
  code: 'NO_ACTIVE_ACCOUNT',
  message: 'No active account found with the given credentials',
};

/** Logs in with raw `variables` (or a raw JSON body); returns the response and the scrypt runs it caused. */
async function login(request: { variables: unknown } | { body: string }) {
  scrypt.mockClear();
  const response = await app.post(
    'body' in request ? request.body : { query: operations.obtain, variables: request.variables },
  );
  return { response, hashes: scrypt.mock.calls.length };
}

const coercion = (name: string, shown: string): Refusal => ({
  status: 400,
  code: undefined,
  message: `Variable "$${name}" got invalid value ${shown}; String cannot represent a non string value: ${shown}`,
});

describe('hostile credentials over GraphQL', () => {
  it.each([
    ['username {$ne: null}', { username: { $ne: null }, password }, coercion('username', '{ $ne: null }')],
    [
      'username {$regex: ".*"}',
      { username: { $regex: '.*' }, password },
      coercion('username', '{ $regex: ".*" }'),
    ],
    [
      'password {$ne: null}',
      { username: 'demo', password: { $ne: null } },
      coercion('password', '{ $ne: null }'),
    ],
    ['username a list', { username: ['demo'], password }, coercion('username', '["demo"]')],
    ['username a number', { username: 1, password }, coercion('username', '1')],
    [
      'username {__proto__: "demo"}',
      { username: JSON.parse('{"__proto__":"demo"}'), password },
      coercion('username', '{ __proto__: "demo" }'),
    ],
    [
      'username null',
      { username: null, password },
      {
        status: 400,
        code: undefined,
        message: 'Variable "$username" of non-null type "String!" must not be null.',
      },
    ],
    [
      'a 1 MB password',
      { username: 'demo', password: 'p'.repeat(1 << 20) },
      { status: 400, code: 'BAD_USER_INPUT', message: 'Ensure this field has no more than 4096 characters.' },
    ],
    [
      'a 1 MB username',
      { username: 'u'.repeat(1 << 20), password },
      { status: 400, code: 'BAD_USER_INPUT', message: 'Ensure this field has no more than 150 characters.' },
    ],
    [
      'a blank password',
      { username: 'demo', password: ' \t ' },
      { status: 400, code: 'BAD_USER_INPUT', message: 'This field may not be blank.' },
    ],
    // A NUL cannot be stored by every database (FerretDB on PostgreSQL: jsonb): Django's forms refuse it.
    [
      'a username with a NUL',
      { username: 'demo\u0000', password },
      { status: 400, code: 'BAD_USER_INPUT', message: 'Null characters are not allowed.' },
    ],
    [
      'a username that is a NUL',
      { username: '\u0000', password },
      { status: 400, code: 'BAD_USER_INPUT', message: 'Null characters are not allowed.' },
    ],
    [
      'a password with a NUL',
      { username: 'demo', password: `${password}\u0000` },
      { status: 400, code: 'BAD_USER_INPUT', message: 'Null characters are not allowed.' },
    ],
  ] as const)('%s: refused before any lookup or hashing', async (_name, variables, expected) => {
    const before = await database.state();
    const commands = await database.commandsDuring(async () => {
      const { response, hashes } = await login({ variables });
      expectRefused(response, expected);
      expect(hashes).toBe(0);
    });
    expect(commands).toEqual([]);
    expect(await database.state()).toEqual(before);
  });

  it('refuses operator objects in-process too, where no GraphQL type stands in front', async () => {
    for (const credentials of [
      { username: { $ne: null }, password },
      { username: 'demo', password: { $regex: '.*' } },
      { username: ['demo'], password },
    ]) {
      const error = await app.jwt.obtainTokenPair(credentials).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SimpleJwtError);
      expect([(error as SimpleJwtError).code, (error as SimpleJwtError).message]).toEqual([
        'BAD_USER_INPUT',
        'Not a valid string.',
      ]);
    }
    expect(scrypt).not.toHaveBeenCalled();
  });

  it.each([
    ['".*"', '.*', password],
    ['"^demo"', '^demo', password],
    ['"demo.*"', 'demo.*', password],
    ['"/demo/i"', '/demo/i', password],
    ['the text {"$ne":null}', '{"$ne":null}', password],
    ['DEMO (case)', 'DEMO', password],
    ['fullwidth ｄｅｍｏ', 'ｄｅｍｏ', password],
    ['demo with a zero-width space', 'demo\u200b', password],
    ['demo with a Cyrillic o', 'dem\u043e', password],
    ['a regex as the password', 'demo', '.*'],
    ['an emoji password', 'demo', '🔑🔑🔑'],
  ])('username %s: the one login error, one hash, nothing written', async (_name, username, secret) => {
    const before = await database.state();
    const { response, hashes } = await login({ variables: { username, password: secret } });
    expectRefused(response, noActiveAccount);
    expect(hashes).toBe(1);
    expect(await database.state()).toEqual(before);
  });

  it('answers an unknown user, a wrong password and an inactive user identically, one hash each', async () => {
    const before = await database.state();
    const attempts = await Promise.all([
      login({ variables: { username: 'nobody', password } }),
      login({ variables: { username: 'demo', password: 'wrong password' } }),
      login({ variables: { username: 'sleeper', password } }),
    ]);
    expect(scrypt).toHaveBeenCalledTimes(3);
    for (const { response } of attempts) expectRefused(response, noActiveAccount);
    expect(new Set(attempts.map(({ response }) => response.body)).size).toBe(1);
    expect(await database.state()).toEqual(before);
    // The control: the right password hashes once too, and is the only attempt that writes (lastLogin).
    const success = await login({ variables: { username: 'demo', password } });
    expect([success.response.status, success.hashes]).toEqual([200, 1]);
    expect(success.response.body).toMatch(tokenPattern);
  });

  it('ignores __proto__ in the variables and pollutes nothing', async () => {
    const body = `{"query":${JSON.stringify(operations.obtain)},"variables":{"__proto__":{"username":"demo"},"password":"${password}"}}`;
    const { response, hashes } = await login({ body });
    expectRefused(response, {
      status: 400,
      code: undefined,
      message: 'Variable "$username" of required type "String!" was not provided.',
    });
    expect(hashes).toBe(0);
    const polluted = `{"query":${JSON.stringify(operations.obtain)},"variables":{"username":"demo","password":"${password}","__proto__":{"isStaff":true,"isActive":true}}}`;
    const accepted = await login({ body: polluted });
    expectNoLeak(accepted.response);
    expect(accepted.response.status).toBe(200);
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>)['isStaff']).toBeUndefined();
  });

  it('logs in a unicode user only with the exact stored name and password', async () => {
    const secret = 'pässwörd 🔑 ключ';
    await createUser(app.User, { username: 'zoë', password: secret }, database.hasher);
    const exact = await login({ variables: { username: 'zoë', password: secret } });
    expect(exact.response.status).toBe(200);
    for (const [username, attempt] of [
      ['zoe\u0308', secret],
      ['zoë', secret.normalize('NFD')],
    ]) {
      const { response, hashes } = await login({ variables: { username, password: attempt } });
      expectRefused(response, noActiveAccount);
      expect(hashes).toBe(1);
    }
  });
});
