import { Schema, Types } from 'mongoose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImproperlyConfiguredError } from '../../src/errors.js';
import { createMongooseUserAdapter } from '../../src/users/mongoose-user-adapter.js';
import { createScryptPasswordHasher, insecureTestScryptOptions } from '../../src/users/password-hasher.js';
import { createUser, createUserModel } from '../../src/users/user-model.js';
import { connectFreshDatabase } from '../support/database.js';

const connection = await connectFreshDatabase('users_adapter');
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const User = createUserModel(connection);
await User.init();
const users = createMongooseUserAdapter(User);
const alice = await createUser(User, { username: 'alice', password: 'pw' }, hasher);
const bob = await createUser(User, { username: 'bob', password: 'pw', isActive: false }, hasher);

/** A model unlike the ready one: numeric `_id`, login by `email`, other field names. */
const Member = connection.model(
  'Member',
  new Schema({
    _id: Number,
    email: { type: String, required: true, unique: true },
    publicId: { type: String, unique: true, sparse: true },
    passwordHash: String,
    active: Boolean,
    lastSeen: Date,
  }),
);
const memberFields = {
  usernameField: 'email',
  passwordField: 'passwordHash',
  isActiveField: 'active',
  lastLoginField: 'lastSeen',
} as const;
await Member.create([
  { _id: 1, email: 'one@example.com', publicId: 'pub-one', passwordHash: 'h1', active: true },
  { _id: 2, email: '.*', publicId: '{"$ne":null}', active: false },
]);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('mongoose user adapter on the ready model', () => {
  it('finds a user by its id string and gives the id back as that string', async () => {
    const id = alice._id.toHexString();
    const found = await users.findById(id);
    expect(found?.username).toBe('alice');
    expect(found ? users.idOf(found) : null).toBe(id);
  });

  it('answers null, without a CastError, for malformed, unknown and non-canonical ids', async () => {
    for (const id of [
      'abc',
      '',
      '123',
      new Types.ObjectId().toHexString(),
      alice._id.toHexString().toUpperCase(),
    ]) {
      await expect(users.findById(id), id).resolves.toBeNull();
    }
  });

  it('sends only { field: { $eq: string } } to MongoDB, so operator-shaped input stays literal', async () => {
    const findOne = vi.spyOn(User, 'findOne');
    await expect(users.findById('{"$ne":null}')).resolves.toBeNull();
    await expect(users.findByUsername('{"$ne":null}')).resolves.toBeNull();
    await expect(users.findByUsername('.*')).resolves.toBeNull();
    expect(findOne.mock.calls.map(([filter]) => filter)).toEqual([
      { _id: { $eq: '{"$ne":null}' } },
      { username: { $eq: '{"$ne":null}' } },
      { username: { $eq: '.*' } },
    ]);
    // Objects that slip past the types never reach a query at all.
    await expect(users.findById({ $ne: null } as unknown as string)).resolves.toBeNull();
    await expect(users.findByUsername({ $gt: '' } as unknown as string)).resolves.toBeNull();
    expect(findOne).toHaveBeenCalledTimes(3);
  });

  it('matches usernames exactly', async () => {
    expect((await users.findByUsername('alice'))?._id.equals(alice._id)).toBe(true);
    await expect(users.findByUsername('Alice')).resolves.toBeNull();
    await expect(users.findByUsername('alic')).resolves.toBeNull();
  });

  it('reads isActive and the password hash', () => {
    expect(users.isActive(alice)).toBe(true);
    expect(users.isActive(bob)).toBe(false);
    expect(users.passwordHashOf(alice)).toBe(alice.password);
  });

  it('sets lastLogin with one atomic updateOne, leaving the loaded document clean', async () => {
    const user = await User.findById(alice._id).orFail().exec();
    const updateOne = vi.spyOn(User, 'updateOne');
    const save = vi.spyOn(user, 'save');
    const at = new Date('2030-01-02T03:04:05.000Z');
    await users.updateLastLogin(user, at);
    expect(updateOne).toHaveBeenCalledTimes(1);
    expect(updateOne.mock.calls[0]?.slice(0, 2)).toEqual([
      { _id: { $eq: alice._id } },
      { $set: { lastLogin: at } },
    ]);
    expect(save).not.toHaveBeenCalled();
    expect(user.lastLogin).toEqual(at);
    expect(user.isModified()).toBe(false);
    expect((await User.findById(alice._id).orFail().exec()).lastLogin).toEqual(at);
  });

  it('passes on errors other than casting (e.g. the database failing)', async () => {
    const failure = new Error('connection lost');
    vi.spyOn(User, 'findOne').mockReturnValueOnce({ exec: () => Promise.reject(failure) } as never);
    await expect(users.findById(alice._id.toHexString())).rejects.toBe(failure);
  });
});

describe('mongoose user adapter on a custom model', () => {
  const members = createMongooseUserAdapter(Member, memberFields);

  it('looks numeric ids up, refusing malformed and non-canonical spellings', async () => {
    const one = await members.findById('1');
    expect(one?.email).toBe('one@example.com');
    expect(one ? members.idOf(one) : null).toBe('1');
    for (const id of ['abc', '01', '1.0', '1e0', ' 1', '3'])
      await expect(members.findById(id), id).resolves.toBeNull();
  });

  it('logs in by the configured username field and reads the configured fields', async () => {
    const one = await members.findByUsername('one@example.com');
    const two = await members.findByUsername('.*');
    expect(one?._id).toBe(1);
    expect(two?._id).toBe(2);
    expect(one && members.isActive(one)).toBe(true);
    expect(two && members.isActive(two)).toBe(false);
    expect(one && members.passwordHashOf(one)).toBe('h1');
    expect(two && members.passwordHashOf(two)).toBeUndefined();
    const at = new Date('2031-05-06T07:08:09.000Z');
    if (one) await members.updateLastLogin(one, at);
    expect((await Member.findById(1).orFail().exec()).lastSeen).toEqual(at);
  });

  it('can use a string field as the user id; a JSON-operator string is just a value', async () => {
    const byPublicId = createMongooseUserAdapter(Member, { ...memberFields, userIdField: 'publicId' });
    expect((await byPublicId.findById('{"$ne":null}'))?._id).toBe(2);
    expect((await byPublicId.findById('pub-one'))?._id).toBe(1);
    await expect(byPublicId.findById('pub-two')).resolves.toBeNull();
    const withoutPublicId = await Member.create({ _id: 3, email: 'three@example.com' });
    expect(() => byPublicId.idOf(withoutPublicId)).toThrow(ImproperlyConfiguredError);
  });

  it('refuses field names the schema lacks, naming the option', () => {
    expect(() => createMongooseUserAdapter(Member)).toThrow(
      expect.objectContaining({ setting: 'usernameField' }),
    );
    expect(() => createMongooseUserAdapter(Member, { ...memberFields, isActiveField: 'isActive' })).toThrow(
      expect.objectContaining({ setting: 'isActiveField' }),
    );
    expect(() => createMongooseUserAdapter(User, { userIdField: 'pk' })).toThrow(ImproperlyConfiguredError);
  });

  it('treats null fields as absent: always active, no password, no last-login write', async () => {
    const bare = createMongooseUserAdapter(Member, {
      usernameField: 'email',
      isActiveField: null,
      passwordField: null,
      lastLoginField: null,
    });
    const two = await Member.findById(2).orFail().exec();
    expect(bare.isActive(two)).toBe(true);
    const one = await Member.findById(1).orFail().exec();
    expect(bare.passwordHashOf(one)).toBeUndefined();
    const updateOne = vi.spyOn(Member, 'updateOne');
    await bare.updateLastLogin(one, new Date());
    expect(updateOne).not.toHaveBeenCalled();
  });
});
