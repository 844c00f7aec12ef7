import { describe, expect, it } from 'vitest';
import { createUser, createUserModel } from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { testClock } from '../support/token-fixture.js';
import { passwordHasher, pluginBuilder, readyModelJwt, yogaRunner } from './plugin-fixture.js';

// Arguments that are not strings (numbers, MongoDB operators, lists, null) must be refused by
// GraphQL's own coercion, before any resolver, login or database write runs.
const connection = await connectFreshDatabase('plugin_args');
const User = createUserModel(connection);
const ada = await createUser(User, { username: 'ada', password: 'pw-ada' }, passwordHasher);
const clock = testClock(Math.floor(Date.now() / 1000));
const jwt = readyModelJwt(connection, { settings: { updateLastLogin: true }, now: clock });
const builder = pluginBuilder({ jwt, includeSliding: true });
builder.queryType({ fields: (t) => ({ ok: t.boolean({ resolve: () => true }) }) });
const run = yogaRunner(builder.toSchema(), jwt);
const { refresh: validRefresh } = await jwt.obtainTokenPair({ username: 'ada', password: 'pw-ada' });

const outstanding = connection.collection('outstanding_tokens');
const blacklisted = connection.collection('blacklisted_tokens');

/** Counts of what a resolver would have written: outstanding and blacklisted records, and lastLogin. */
async function databaseState() {
  const user = await User.findById(ada._id).lean();
  return {
    outstanding: await outstanding.countDocuments(),
    blacklisted: await blacklisted.countDocuments(),
    lastLogin: user?.lastLogin ?? null,
  };
}

const login = (mutation: string) =>
  `mutation($username: String!, $password: String!) { ${mutation}(username: $username, password: $password) { __typename } }`;
const withToken = (mutation: string, argument: string) =>
  `mutation($value: String!) { ${mutation}(${argument}: $value) { __typename } }`;

describe('non-string arguments', () => {
  it.each([
    ['tokenObtainPair', { username: 'ada', password: { $ne: null } }, '$password'],
    ['tokenObtainPair', { username: { $ne: null }, password: 'pw-ada' }, '$username'],
    ['tokenObtainPair', { username: 42, password: 'pw-ada' }, '$username'],
    ['tokenObtainPair', { username: ['ada'], password: 'pw-ada' }, '$username'],
    ['tokenObtainPair', { username: 'ada', password: true }, '$password'],
    ['tokenObtainPair', { username: 'ada', password: null }, '$password'],
    ['tokenObtainSliding', { username: { $gt: '' }, password: 'pw-ada' }, '$username'],
    ['tokenObtainSliding', { username: 'ada', password: 123456 }, '$password'],
  ])('%s with %j is refused before login', async (mutation, variables, variable) => {
    const before = await databaseState();
    const response = await run(login(mutation), variables);
    expect(response.status).toBe(400);
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.message).toContain(`Variable "${variable}"`);
    expect(await databaseState()).toEqual(before);
  });

  it.each([
    ['tokenRefresh', 'refresh', { $ne: null }],
    ['tokenRefresh', 'refresh', 1],
    ['tokenVerify', 'token', { $exists: true }],
    ['tokenVerify', 'token', [validRefresh]],
    ['tokenBlacklist', 'refresh', { $ne: null }],
    ['tokenBlacklist', 'refresh', false],
    ['tokenRefreshSliding', 'token', { $regex: '.*' }],
  ])('%s(%s: %j) is refused before any token is read', async (mutation, argument, value) => {
    const before = await databaseState();
    const response = await run(withToken(mutation, argument), { value });
    expect(response.status).toBe(400);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.message).toMatch(
      /^Variable "\$value" got invalid value .*; String cannot represent/,
    );
    expect(await databaseState()).toEqual(before);
  });

  it.each([
    'tokenObtainPair(username: 42, password: "pw-ada")',
    'tokenObtainPair(username: "ada", password: {ne: null})',
    'tokenRefresh(refresh: ["x"])',
    'tokenVerify(token: true)',
  ])('%s written into the document fails validation', async (call) => {
    const before = await databaseState();
    const response = await run(`mutation { ${call} { __typename } }`);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.message).toMatch(/String cannot represent a non string value/);
    expect(await databaseState()).toEqual(before);
  });

  it('does log in, record the token and set lastLogin for the same call with strings (control)', async () => {
    const before = await databaseState();
    clock.advance(60);
    const response = await run(login('tokenObtainPair'), { username: 'ada', password: 'pw-ada' });
    expect(response.errors).toBeUndefined();
    expect(await databaseState()).toEqual({
      ...before,
      outstanding: before.outstanding + 1,
      lastLogin: clock(),
    });
  });
});
