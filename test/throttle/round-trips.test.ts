import mongoose, { type Connection } from 'mongoose';
import {
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  createUserModel,
  insecureTestScryptOptions,
  type MongoTokenStore,
} from 'pothos-plugin-simple-jwt';
import { afterAll, expect, it } from 'vitest';
import { type CommandStep, commandRecorder } from '../support/command-steps.js';
import { freshDatabaseUri } from '../support/database.js';
import { hmacSecret } from '../support/jwt-keys.js';
import { testClock } from '../support/token-fixture.js';

// What login throttling adds to a login, counted from the driver's command monitoring on the real
// database (a step is a set of commands sent before any of them was answered).
const connection: Connection = await mongoose
  .createConnection(freshDatabaseUri('throttle_trips'), { monitorCommands: true })
  .asPromise();
afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
});
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const User = createUserModel(connection);
const jwt = createSimpleJwt({
  settings: { signingKey: hmacSecret, loginThrottle: true, loginThrottleUsernameFailures: 1 },
  connection,
  userModel: User,
  passwordHasher: hasher,
  now: testClock(),
});
await Promise.all([(jwt.store as MongoTokenStore).ready(), User.init(), jwt.flushExpiredTokens()]);
await createUser(User, { username: 'ada', password: 'ada-password' }, hasher);
const stepsDuring = commandRecorder(connection);
const from = { clientAddress: '192.0.2.1' };

// The two counters are two parallel chains (a read, then its ticket insert): each insert waits only
// for its own counter's read, so on a busy machine one insert may be answered before the other is
// sent. Both still cost the same one round trip of latency; count them as one step.
function ticketInsertsTogether(steps: CommandStep[]): CommandStep[] {
  const merged: string[][] = [];
  for (const step of steps) {
    const previous = merged.at(-1);
    const ticketsOnly = (names: readonly string[]) => names.every((name) => name === 'insert login_attempts');
    if (previous && ticketsOnly(previous) && ticketsOnly(step)) previous.push(...step);
    else merged.push([...step]);
  }
  return merged;
}

it('a login: both counters read, then a ticket each, before the user lookup; a success resets', async () => {
  const steps = await stepsDuring(() =>
    jwt.obtainTokenPair({ username: 'ada', password: 'ada-password' }, from),
  );
  expect(ticketInsertsTogether(steps)).toEqual([
    ['find login_attempts', 'find login_attempts'],
    ['insert login_attempts', 'insert login_attempts'],
    ['find users'],
    ['delete login_attempts', 'delete login_attempts'],
    // The token's record and its family's (a login starts a session), in one step.
    ['insert outstanding_tokens', 'insert token_families'],
  ]);
});

it('a refused login: one step of reads, no write, no user lookup', async () => {
  await jwt.obtainTokenPair({ username: 'ada', password: 'wrong' }, from).catch(() => undefined);
  let code: unknown;
  const steps = await stepsDuring(() =>
    jwt.obtainTokenPair({ username: 'ada', password: 'ada-password' }, from).catch((error) => {
      code = (error as { extensions: { code: unknown } }).extensions.code;
    }),
  );
  expect(code).toBe('TOO_MANY_ATTEMPTS');
  // The address let it through (1 of 20) and gets its ticket back.
  expect(steps).toEqual([
    ['find login_attempts', 'find login_attempts'],
    ['insert login_attempts'],
    ['delete login_attempts'],
  ]);
});
