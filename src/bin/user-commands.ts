import { isDuplicateKeyError } from '../store/store-errors.js';
import { stripLikePython } from '../users/credential-field.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import { createUser, setPassword, type UserDocument, type UserModel } from '../users/user-model.js';
import { printable } from './command-support.js';
import { type PasswordSource, readNewPassword } from './read-password.js';
import { type ListedUser, listedFields, userJson, userTable } from './user-listing.js';

/** The command could not do what was asked (unknown or taken username); the message says why. */
export class CommandFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailure';
  }
}

/** What every user command works with. */
export interface UserCommandContext {
  User: UserModel;
  hasher: PasswordHasher;
  passwords: PasswordSource;
}

/** Flags of `create`. */
export interface CreateFlags {
  staff: boolean;
  superuser: boolean;
  inactive: boolean;
}

// The ready schema's default username length, which login also enforces.
const usernameMaxLength = 150;

const quoted = (username: string) => `'${printable(username)}'`;

/** Why login could never find `username` (it strips whitespace and refuses longer names), or `undefined`. */
function usernameProblem(username: string): string | undefined {
  const stripped = stripLikePython(username);
  if (stripped === '') return 'the username may not be blank.';
  if (stripped !== username) {
    return 'the username starts or ends with whitespace, which login strips: it could never log in.';
  }
  if ([...username].length > usernameMaxLength) {
    return `the username is longer than ${usernameMaxLength} characters.`;
  }
  return undefined;
}

async function existingUser(User: UserModel, username: string): Promise<UserDocument> {
  const user = await User.findOne({ username: { $eq: username } }).exec();
  if (!user) throw new CommandFailure(`user ${quoted(username)} does not exist.`);
  return user;
}

/** Django's `createsuperuser`: checks the name is free before asking for the password. */
export async function createUserCommand(
  { User, hasher, passwords }: UserCommandContext,
  username: string,
  flags: CreateFlags,
): Promise<string> {
  const problem = usernameProblem(username);
  if (problem) throw new CommandFailure(problem);
  const taken = new CommandFailure(`the username ${quoted(username)} is already taken.`);
  // The unique index settles a race with another writer; the lookup gives the common case early.
  await User.createIndexes();
  if (await User.exists({ username: { $eq: username } })) throw taken;
  const password = await readNewPassword(passwords);
  const fields = {
    isActive: !flags.inactive,
    isStaff: flags.staff || flags.superuser,
    isSuperuser: flags.superuser,
  };
  try {
    await createUser(User, { username, password, ...fields }, hasher);
  } catch (error) {
    if (isDuplicateKeyError(error)) throw taken;
    throw error;
  }
  return `Created user ${quoted(username)}.`;
}

/** Django's `changepassword`: checks the user exists before asking for the password. */
export async function setPasswordCommand(
  { User, hasher, passwords }: UserCommandContext,
  username: string,
): Promise<string> {
  const user = await existingUser(User, username);
  await setPassword(user, await readNewPassword(passwords), hasher);
  await user.save();
  return `Changed the password of ${quoted(username)}.`;
}

/** Sets `isActive`; saying so when it already had that value. */
export async function setActiveCommand(
  { User }: UserCommandContext,
  username: string,
  isActive: boolean,
): Promise<string> {
  const user = await existingUser(User, username);
  const state = isActive ? 'active' : 'inactive';
  if (user.isActive === isActive) return `${quoted(username)} is already ${state}.`;
  user.isActive = isActive;
  await user.save();
  return `${isActive ? 'Activated' : 'Deactivated'} ${quoted(username)}.`;
}

/** Every user by username, as table lines or one JSON text; password hashes are never loaded. */
export async function listUsersCommand({ User }: UserCommandContext, json: boolean): Promise<string[]> {
  const users = await User.find({}, listedFields).sort({ username: 1 }).lean<ListedUser[]>().exec();
  return json ? [userJson(users)] : userTable(users);
}
