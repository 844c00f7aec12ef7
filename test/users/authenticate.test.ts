import { describe, expect, it, vi } from 'vitest';
import { SimpleJwtError } from '../../src/errors.js';
import { type AuthenticatorOptions, createAuthenticator } from '../../src/users/authenticate.js';
import { createMongooseUserAdapter } from '../../src/users/mongoose-user-adapter.js';
import {
  createScryptPasswordHasher,
  insecureTestScryptOptions,
  type PasswordHasher,
} from '../../src/users/password-hasher.js';
import type { Credentials } from '../../src/users/user-adapter.js';
import { createUser, createUserModel, type UserDocument } from '../../src/users/user-model.js';
import { connectFreshDatabase } from '../support/database.js';

const connection = await connectFreshDatabase('users_authenticate');
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const User = createUserModel(connection);
await User.init();
const users = createMongooseUserAdapter(User);
const alice = await createUser(User, { username: 'alice', password: 'correct horse' }, hasher);
const sleeper = await createUser(User, { username: 'sleeper', password: 'pw', isActive: false }, hasher);
const dotStar = await createUser(User, { username: '.*', password: 'dot star' }, hasher);
const noPassword = await createUser(User, { username: 'nopassword', password: null }, hasher);

/** Counts every call into the hasher: the proof that each login attempt hashes exactly once. */
function countingHasher(inner: PasswordHasher) {
  const calls = { hash: 0, verify: 0, verifyDummy: 0 };
  const counted: PasswordHasher = {
    hash(password) {
      calls.hash++;
      return inner.hash(password);
    },
    verify(password, encoded) {
      calls.verify++;
      return inner.verify(password, encoded);
    },
    verifyDummy(password) {
      calls.verifyDummy++;
      return inner.verifyDummy(password);
    },
  };
  return { counted, calls };
}

function setup(options: Partial<AuthenticatorOptions<UserDocument>> = {}) {
  const { counted, calls } = countingHasher(hasher);
  const findByUsername = vi.fn((username: string) => users.findByUsername(username));
  const authenticate = createAuthenticator<UserDocument>({
    findByUsername,
    passwordHashOf: (user) => users.passwordHashOf(user),
    hasher: counted,
    ...options,
  });
  return { authenticate, calls, findByUsername };
}

async function refusal(promise: Promise<unknown>): Promise<SimpleJwtError> {
  const error: unknown = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SimpleJwtError);
  return error as SimpleJwtError;
}

describe('authenticate', () => {
  it('returns the user for the right password and null for a wrong one or an unknown user', async () => {
    const { authenticate } = setup();
    expect((await authenticate({ username: 'alice', password: 'correct horse' }))?._id).toEqual(alice._id);
    await expect(authenticate({ username: 'alice', password: 'correct horsE' })).resolves.toBeNull();
    await expect(authenticate({ username: 'nobody', password: 'correct horse' })).resolves.toBeNull();
    await expect(authenticate({ username: 'nopassword', password: noPassword.password })).resolves.toBeNull();
  });

  it('returns an inactive user with the right password: the authentication rule decides', async () => {
    const { authenticate } = setup();
    const user = await authenticate({ username: 'sleeper', password: 'pw' });
    expect(user?._id).toEqual(sleeper._id);
    expect(user && users.isActive(user)).toBe(false);
  });

  it('hashes exactly once on every path that reaches the lookup, and never before it', async () => {
    const paths: [string, Credentials, { verify: number; verifyDummy: number }][] = [
      ['unknown user', { username: 'nobody', password: 'pw' }, { verify: 0, verifyDummy: 1 }],
      ['wrong password', { username: 'alice', password: 'wrong' }, { verify: 1, verifyDummy: 0 }],
      ['inactive user', { username: 'sleeper', password: 'pw' }, { verify: 1, verifyDummy: 0 }],
      ['success', { username: 'alice', password: 'correct horse' }, { verify: 1, verifyDummy: 0 }],
      ['unusable password', { username: 'nopassword', password: 'pw' }, { verify: 1, verifyDummy: 0 }],
    ];
    for (const [path, credentials, expected] of paths) {
      const { authenticate, calls } = setup();
      await authenticate(credentials);
      expect(calls, path).toEqual({ hash: 0, ...expected });
    }
    // A user store without password hashes: the dummy check still runs.
    const { authenticate, calls } = setup({ passwordHashOf: () => undefined });
    await authenticate({ username: 'alice', password: 'correct horse' });
    expect(calls).toEqual({ hash: 0, verify: 0, verifyDummy: 1 });
  });

  it('refuses anything but strings before any lookup or hashing', async () => {
    const notStrings: [unknown, string][] = [
      [42, 'Not a valid string.'],
      [true, 'Not a valid string.'],
      [{ $ne: '' }, 'Not a valid string.'],
      [{ $regex: '.*' }, 'Not a valid string.'],
      [['alice'], 'Not a valid string.'],
      [null, 'This field may not be null.'],
      [undefined, 'This field is required.'],
    ];
    for (const [value, message] of notStrings) {
      for (const field of ['username', 'password'] as const) {
        const { authenticate, calls, findByUsername } = setup();
        const credentials = { username: 'alice', password: 'correct horse', [field]: value };
        const error = await refusal(authenticate(credentials));
        expect(error.message, `${field}: ${String(value)}`).toBe(message);
        expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, http: { status: 400 } });
        expect(findByUsername).not.toHaveBeenCalled();
        expect(calls).toEqual({ hash: 0, verify: 0, verifyDummy: 0 });
      }
    }
    const { authenticate } = setup();
    const error = await refusal(authenticate(null as unknown as Credentials));
    expect(error.message).toBe('This field is required.');
  });

  it('trims both fields like Simple JWT (Python whitespace), unless told not to', async () => {
    const { authenticate, findByUsername } = setup();
    const user = await authenticate({ username: ' \t alice\u3000\n', password: '  correct horse \u00a0' });
    expect(user?._id).toEqual(alice._id);
    expect(findByUsername).toHaveBeenCalledWith('alice');
    // Python's str.strip() set, not JavaScript's trim(): \x1c and \x85 go, a byte-order mark stays.
    expect((await authenticate({ username: '\x1calice\x85', password: 'correct horse' }))?._id).toEqual(
      alice._id,
    );
    await expect(authenticate({ username: '\ufeffalice', password: 'correct horse' })).resolves.toBeNull();
    expect(findByUsername).toHaveBeenLastCalledWith('\ufeffalice');
    const strict = setup({ trimWhitespace: false });
    await expect(strict.authenticate({ username: ' alice', password: 'correct horse' })).resolves.toBeNull();
    expect(strict.findByUsername).toHaveBeenCalledWith(' alice');
  });

  it('refuses blank fields', async () => {
    for (const blank of ['', '   ', '\n\t\u2003']) {
      const { authenticate, findByUsername } = setup();
      const username = await refusal(authenticate({ username: blank, password: 'pw' }));
      expect(username.message).toBe('This field may not be blank.');
      expect(username.extensions['field']).toBe('username');
      const password = await refusal(authenticate({ username: 'alice', password: blank }));
      expect(password.extensions).toMatchObject({ field: 'password', code: 'BAD_USER_INPUT' });
      expect(findByUsername).not.toHaveBeenCalled();
    }
  });

  it('refuses over-long fields, counting characters after trimming', async () => {
    const { authenticate, findByUsername } = setup();
    const long = await refusal(authenticate({ username: 'a'.repeat(151), password: 'pw' }));
    expect(long.message).toBe('Ensure this field has no more than 150 characters.');
    const longPassword = await refusal(authenticate({ username: 'alice', password: 'p'.repeat(4097) }));
    expect(longPassword.message).toBe('Ensure this field has no more than 4096 characters.');
    expect(findByUsername).not.toHaveBeenCalled();
    // At the limit (in code points, not UTF-16 units), and padded with spaces that are trimmed away.
    await expect(
      authenticate({ username: `  ${'a'.repeat(150)}  `, password: 'p'.repeat(4096) }),
    ).resolves.toBeNull();
    await expect(authenticate({ username: '😀'.repeat(150), password: 'pw' })).resolves.toBeNull();
    expect(findByUsername).toHaveBeenCalledTimes(2);
    await refusal(authenticate({ username: '😀'.repeat(151), password: 'pw' }));
    const custom = setup({ maxUsernameLength: 5, maxPasswordLength: 3, usernameField: 'email' });
    const error = await refusal(custom.authenticate({ username: 'abcdef', password: 'pw' }));
    expect(error.message).toBe('Ensure this field has no more than 5 characters.');
    expect(error.extensions['field']).toBe('email');
    await refusal(custom.authenticate({ username: 'abc', password: 'pass' }));
  });

  it('matches usernames literally: regex-like and operator-like strings are just names', async () => {
    const { authenticate } = setup();
    await expect(authenticate({ username: '.*', password: 'correct horse' })).resolves.toBeNull();
    expect((await authenticate({ username: '.*', password: 'dot star' }))?._id).toEqual(dotStar._id);
    for (const username of ['^a', 'ALICE', 'alic', '{"$ne":null}', '{"$gt":""}']) {
      await expect(authenticate({ username, password: 'correct horse' }), username).resolves.toBeNull();
    }
  });

  it('refuses bad length options at creation', () => {
    expect(() => setup({ maxUsernameLength: 0 })).toThrow(
      expect.objectContaining({ setting: 'maxUsernameLength' }),
    );
    expect(() => setup({ maxPasswordLength: 1.5 })).toThrow(
      expect.objectContaining({ setting: 'maxPasswordLength' }),
    );
  });
});
