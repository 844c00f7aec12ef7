import { Schema } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { ImproperlyConfiguredError } from '../../src/errors.js';
import { createScryptPasswordHasher, insecureTestScryptOptions } from '../../src/users/password-hasher.js';
import {
  createUser,
  createUserModel,
  createUserSchema,
  setPassword,
  type UserDocument,
} from '../../src/users/user-model.js';
import { connectFreshDatabase } from '../support/database.js';

const connection = await connectFreshDatabase('users_model');
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const User = createUserModel(connection);
await User.init();

describe('ready user model', () => {
  it("fills Django's defaults and stores a hash, not the password", async () => {
    const before = Date.now();
    const user = await createUser(User, { username: 'defaults', password: 's3cret' }, hasher);
    const stored = await User.findById(user._id).orFail().exec();
    expect(stored.isActive).toBe(true);
    expect(stored.isStaff).toBe(false);
    expect(stored.isSuperuser).toBe(false);
    expect(stored.lastLogin).toBeNull();
    expect(stored.dateJoined.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(stored.dateJoined.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(stored.password).toMatch(/^scrypt\$/);
    expect(stored.password).not.toContain('s3cret');
    expect(await hasher.verify('s3cret', stored.password)).toBe(true);
  });

  it('keeps flags given to createUser', async () => {
    const user = await createUser(
      User,
      { username: 'admin', password: 'pw', isStaff: true, isSuperuser: true, isActive: false },
      hasher,
    );
    const stored = await User.findById(user._id).orFail().exec();
    expect([stored.isStaff, stored.isSuperuser, stored.isActive]).toEqual([true, true, false]);
  });

  it('enforces a unique username with duplicate-key error 11000', async () => {
    await createUser(User, { username: 'taken', password: 'pw' }, hasher);
    await expect(createUser(User, { username: 'taken', password: 'other' }, hasher)).rejects.toMatchObject({
      code: 11000,
    });
    expect(await User.countDocuments({ username: 'taken' })).toBe(1);
  });

  it('requires a username of at most 150 characters', async () => {
    await expect(new User({ password: 'x' }).save()).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      createUser(User, { username: 'u'.repeat(151), password: 'pw' }, hasher),
    ).rejects.toMatchObject({
      name: 'ValidationError',
    });
    await expect(
      createUser(User, { username: 'u'.repeat(150), password: 'pw' }, hasher),
    ).resolves.toBeDefined();
  });

  it('NFKC-normalises new usernames like Django', async () => {
    const user = await createUser(User, { username: 'ｆｕｌｌｗｉｄｔｈ', password: 'pw' }, hasher);
    expect(user.username).toBe('fullwidth');
  });

  it('gives null an unusable password that no input verifies', async () => {
    const user = await createUser(User, { username: 'nopassword', password: null }, hasher);
    expect(user.password).toMatch(/^![A-Za-z0-9_-]{40}$/);
    expect(await hasher.verify('', user.password)).toBe(false);
    expect(await hasher.verify(user.password, user.password)).toBe(false);
  });

  it('setPassword changes the hash without saving, like Django', async () => {
    const user = await createUser(User, { username: 'changer', password: 'old' }, hasher);
    await setPassword(user, 'new', hasher);
    expect(await hasher.verify('new', user.password)).toBe(true);
    const stored = await User.findById(user._id).orFail().exec();
    expect(await hasher.verify('old', stored.password)).toBe(true);
    await user.save();
    const saved = await User.findById(user._id).orFail().exec();
    expect(await hasher.verify('new', saved.password)).toBe(true);
  });

  it('leaves the password hash out of JSON', async () => {
    const user: UserDocument = await createUser(User, { username: 'json', password: 'pw' }, hasher);
    const json = JSON.parse(JSON.stringify(user)) as Record<string, unknown>;
    expect(json).not.toHaveProperty('password');
    expect(json).toMatchObject({ username: 'json', isActive: true });
    expect(user.toObject().password).toBe(user.password);
  });
});

describe('createUserModel', () => {
  it('returns the model already compiled on the connection', () => {
    expect(createUserModel(connection)).toBe(User);
    expect(createUserModel(connection, { modelName: 'User', collection: 'users' })).toBe(User);
  });

  it('compiles other names into their own collections, with a given (extended) schema', async () => {
    const schema = createUserSchema({ usernameMaxLength: 5 });
    schema.add(new Schema({ email: String }));
    const Account = createUserModel(connection, { modelName: 'Account', collection: 'accounts', schema });
    expect(Account).not.toBe(User);
    expect(Account.schema.path('email')).toBeDefined();
    await createUser(Account, { username: 'acct', password: 'x' }, hasher);
    expect(await connection.collection('accounts').countDocuments({ username: 'acct' })).toBe(1);
    expect(await connection.collection('users').countDocuments({ username: 'acct' })).toBe(0);
    await expect(createUser(Account, { username: 'sixsix', password: 'x' }, hasher)).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  it('refuses an existing model name bound to another collection', () => {
    expect(() => createUserModel(connection, { collection: 'people' })).toThrow(ImproperlyConfiguredError);
  });
});
