import { ImproperlyConfiguredError } from '../errors.js';
import { cleanCredentialField } from './credential-field.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Credentials } from './user-adapter.js';

/** Options of `createAuthenticator`. A `MongooseUserAdapter` supplies both user functions. */
export interface AuthenticatorOptions<User> {
  /** The user whose username equals `username` exactly, or `null`. */
  findByUsername(username: string): Promise<User | null>;
  /** The user's stored password hash, or `undefined` when it has none. */
  passwordHashOf(user: User): string | undefined;
  /** Checks passwords; runs exactly once per attempt that gets past input validation. */
  hasher: PasswordHasher;
  /** Name of the username argument, reported in `extensions.field` (Django's `USERNAME_FIELD`). @default 'username' */
  usernameField?: string;
  /** Longest username accepted, in characters (Django's `username` column). @default 150 */
  maxUsernameLength?: number;
  /** Longest password accepted, in characters, so huge inputs are refused before hashing. @default 4096 */
  maxPasswordLength?: number;
  /** Strip surrounding whitespace from both fields, as Simple JWT's serializer (DRF `CharField`) does. @default true */
  trimWhitespace?: boolean;
}

/** Checks credentials; resolves to the user for a correct password and to `null` otherwise. */
export type Authenticator<User> = (credentials: Credentials) => Promise<User | null>;

function lengthOption(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ImproperlyConfiguredError(name, `expected a whole number >= 1, got ${String(value)}`);
  }
  return value;
}

/**
 * Builds `authenticate(credentials)`, the port of Django's `ModelBackend.authenticate` behind
 * Simple JWT's obtain serializers. Input is validated before any lookup; after that the hasher runs
 * exactly once on every path (unknown user: `verifyDummy`; known user: `verify`), so response time
 * does not reveal which usernames exist. An inactive user with the right password is returned: the
 * caller's `userAuthenticationRule` decides, as in Simple JWT.
 * @throws SimpleJwtError `BAD_USER_INPUT` (with `extensions.field`) for a missing, null, non-string,
 * blank or too long username or password.
 */
export function createAuthenticator<User>(options: AuthenticatorOptions<User>): Authenticator<User> {
  const { findByUsername, passwordHashOf, hasher, trimWhitespace = true } = options;
  const usernameRules = {
    field: options.usernameField ?? 'username',
    maxLength: lengthOption('maxUsernameLength', options.maxUsernameLength ?? 150),
    trim: trimWhitespace,
  };
  const passwordRules = {
    field: 'password',
    maxLength: lengthOption('maxPasswordLength', options.maxPasswordLength ?? 4096),
    trim: trimWhitespace,
  };

  return async (credentials) => {
    const input: Partial<Credentials> =
      typeof credentials === 'object' && credentials !== null ? credentials : {};
    const username = cleanCredentialField(input.username, usernameRules);
    const password = cleanCredentialField(input.password, passwordRules);
    const user = await findByUsername(username);
    const encoded = user === null ? undefined : passwordHashOf(user);
    if (user === null || encoded === undefined) {
      await hasher.verifyDummy(password);
      return null;
    }
    return (await hasher.verify(password, encoded)) ? user : null;
  };
}
