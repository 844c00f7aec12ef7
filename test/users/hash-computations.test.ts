import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthenticator } from '../../src/users/authenticate.js';
import { createMongooseUserAdapter } from '../../src/users/mongoose-user-adapter.js';
import { createScryptPasswordHasher } from '../../src/users/password-hasher.js';
import { createUser, createUserModel } from '../../src/users/user-model.js';
import { connectFreshDatabase } from '../support/database.js';

// Counts the key derivations themselves, below the hasher: "exactly once" must hold for real work.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, scrypt: vi.fn(actual.scrypt), pbkdf2: vi.fn(actual.pbkdf2) };
});
const scrypt = vi.mocked(crypto.scrypt);
const pbkdf2 = vi.mocked(crypto.pbkdf2);

const connection = await connectFreshDatabase('users_kdf');
const hasher = createScryptPasswordHasher({ cost: 64, blockSize: 2, parallelization: 1, keyLength: 32 });
const User = createUserModel(connection);
await User.init();
const users = createMongooseUserAdapter(User);
await createUser(User, { username: 'alice', password: 'pw' }, hasher);
await createUser(User, { username: 'sleeper', password: 'pw', isActive: false }, hasher);
await createUser(User, { username: 'locked', password: null }, hasher);
// A user imported from Django with its PBKDF2 hash (computed here with the real, unmocked function).
const djangoHash = `pbkdf2_sha256$1000$pepper$${crypto.pbkdf2Sync('django pw', 'pepper', 1000, 32, 'sha256').toString('base64')}`;
await User.collection.insertOne({ username: 'migrated', password: djangoHash, isActive: true });
const authenticate = createAuthenticator({ ...users, hasher });

const ownOptions = { N: 64, r: 2, p: 1, maxmem: 128 * 2 * (64 + 1 + 2) };

beforeEach(() => {
  scrypt.mockClear();
  pbkdf2.mockClear();
});

describe('key derivations per login attempt', () => {
  it('derives exactly one key on each path, unknown user included', async () => {
    const paths = [
      ['unknown user', 'nobody', 'pw', null],
      ['wrong password', 'alice', 'wrong', null],
      ['inactive user', 'sleeper', 'pw', 'sleeper'],
      ['success', 'alice', 'pw', 'alice'],
      ['unusable password', 'locked', 'pw', null],
      ['Django user, wrong password', 'migrated', 'pw', null],
      ['Django user, success', 'migrated', 'django pw', 'migrated'],
    ] as const;
    for (const [path, username, password, expected] of paths) {
      scrypt.mockClear();
      pbkdf2.mockClear();
      const user = await authenticate({ username, password });
      expect(user?.username ?? null, path).toBe(expected);
      expect(scrypt.mock.calls.length + pbkdf2.mock.calls.length, path).toBe(1);
    }
  });

  it('makes the unknown-user dummy cost what verifying a current hash costs', async () => {
    await authenticate({ username: 'nobody', password: 'pw' });
    await authenticate({ username: 'alice', password: 'pw' });
    const [dummy, real] = scrypt.mock.calls;
    expect(dummy?.[2]).toBe(32);
    expect(dummy?.[3]).toEqual(ownOptions);
    expect(real?.[2]).toBe(dummy?.[2]);
    expect(real?.[3]).toEqual(dummy?.[3]);
  });

  it('derives no key at all for input refused before the lookup', async () => {
    await expect(authenticate({ username: { $ne: '' }, password: 'pw' })).rejects.toThrow(
      'Not a valid string.',
    );
    await expect(authenticate({ username: 'alice', password: '   ' })).rejects.toThrow('may not be blank');
    expect(scrypt).not.toHaveBeenCalled();
    expect(pbkdf2).not.toHaveBeenCalled();
  });
});
