import { randomBytes } from 'node:crypto';
import SchemaBuilder from '@pothos/core';
import { type HydratedDocument, Schema } from 'mongoose';
import { describe, expect, it } from 'vitest';
import SimpleJwtPlugin, { createSimpleJwt, type SimpleJwtContext } from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { segmentJson } from '../support/forge-jwt.js';
import { firstError } from '../support/graphql-client.js';
import { argumentNames, passwordHasher, yogaRunner } from './plugin-fixture.js';

// A user's own model whose login field is `email` (Django's USERNAME_FIELD = 'email').
interface Member {
  email: string;
  password: string;
  isActive: boolean;
  displayName: string;
}
type MemberDocument = HydratedDocument<Member>;

const connection = await connectFreshDatabase('plugin_email');
const Member = connection.model<Member>(
  'Member',
  new Schema<Member>({
    email: { type: String, required: true, unique: true },
    password: { type: String, required: true },
    isActive: { type: Boolean, default: true },
    displayName: String,
  }),
);
const grace = await Member.create({
  email: 'grace@example.com',
  password: await passwordHasher.hash('pw-grace'),
  displayName: 'Grace',
});
await Member.create({
  email: 'gone@example.com',
  password: await passwordHasher.hash('pw-gone'),
  isActive: false,
  displayName: 'Gone',
});

const jwt = createSimpleJwt({
  settings: { signingKey: randomBytes(64), usernameField: 'email', authTokenClasses: ['access', 'sliding'] },
  connection,
  userModel: Member,
  passwordHasher,
});
const builder = new SchemaBuilder<{ Context: SimpleJwtContext<MemberDocument> }>({
  plugins: [SimpleJwtPlugin],
  simpleJwt: jwt,
});
builder.queryType({
  fields: (t) => ({
    myName: t.string({ authRequired: true, resolve: (_root, _args, context) => context.user?.displayName }),
  }),
});
const schema = builder.toSchema();
const run = yogaRunner(schema, jwt);

const obtainPair =
  'mutation($email: String!, $password: String!) { tokenObtainPair(email: $email, password: $password) { access } }';
const obtainSliding =
  'mutation($email: String!, $password: String!) { tokenObtainSliding(email: $email, password: $password) { token } }';

describe('usernameField: "email" with a custom user model', () => {
  it.each(['tokenObtainPair', 'tokenObtainSliding'])('makes %s take email and password', (mutation) => {
    expect(argumentNames(schema, 'Mutation', mutation)).toEqual(['email', 'password']);
  });

  it('logs in by email, and the access token authenticates as that member', async () => {
    const pair = await run<{ tokenObtainPair: { access: string } }>(obtainPair, {
      email: 'grace@example.com',
      password: 'pw-grace',
    });
    expect(pair.errors).toBeUndefined();
    const access = pair.data?.tokenObtainPair.access ?? '';
    expect(segmentJson(access, 1)).toMatchObject({ user_id: String(grace._id), token_type: 'access' });
    const me = await run<{ myName: string }>('{ myName }', {}, { token: access });
    expect(me.data).toEqual({ myName: 'Grace' });
  });

  it('logs in by email with a sliding token', async () => {
    const sliding = await run<{ tokenObtainSliding: { token: string } }>(obtainSliding, {
      email: 'grace@example.com',
      password: 'pw-grace',
    });
    const token = sliding.data?.tokenObtainSliding.token ?? '';
    expect(segmentJson(token, 1)).toMatchObject({ user_id: String(grace._id), token_type: 'sliding' });
    expect((await run('{ myName }', {}, { token })).data).toEqual({ myName: 'Grace' });
  });

  it.each([
    ['a wrong password', 'grace@example.com', 'pw-wrong'],
    ['an unknown email', 'nobody@example.com', 'pw-grace'],
    ['an inactive member', 'gone@example.com', 'pw-gone'],
    ['the display name instead of the email', 'Grace', 'pw-grace'],
  ])('answers %s with NO_ACTIVE_ACCOUNT', async (_case, email, password) => {
    const response = await run(obtainPair, { email, password });
    expect(response.status).toBe(401);
    expect(firstError(response)).toMatchObject({
      code: 'NO_ACTIVE_ACCOUNT',
      message: 'No active account found with the given credentials',
    });
  });

  it('has no username argument', async () => {
    const response = await run(
      'mutation { tokenObtainPair(username: "grace@example.com", password: "pw-grace") { access } }',
    );
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.map((error) => error.message)).toContain(
      'Unknown argument "username" on field "Mutation.tokenObtainPair".',
    );
  });

  it('needs no lastLogin field unless updateLastLogin is on, and then names the missing field', () => {
    expect(() =>
      createSimpleJwt({
        settings: { signingKey: randomBytes(64), usernameField: 'email', updateLastLogin: true },
        userModel: Member,
      }),
    ).toThrow("Simple JWT setting 'lastLoginField': model 'Member' has no schema path 'lastLogin'");
  });

  it('reads the other user fields from userFields', async () => {
    interface Staffer {
      email: string;
      secret: string;
      active: boolean;
    }
    const Staffer = connection.model<Staffer>(
      'Staffer',
      new Schema<Staffer>({ email: String, secret: String, active: Boolean }),
    );
    await Staffer.create([
      { email: 'on@example.com', secret: await passwordHasher.hash('pw'), active: true },
      { email: 'off@example.com', secret: await passwordHasher.hash('pw'), active: false },
    ]);
    const staffJwt = createSimpleJwt({
      settings: { signingKey: randomBytes(64), usernameField: 'email' },
      userModel: Staffer,
      userFields: { isActiveField: 'active', passwordField: 'secret' },
      passwordHasher,
    });
    expect((await staffJwt.obtainTokenPair({ username: 'on@example.com', password: 'pw' })).access).toEqual(
      expect.any(String),
    );
    await expect(
      staffJwt.obtainTokenPair({ username: 'off@example.com', password: 'pw' }),
    ).rejects.toMatchObject({
      code: 'NO_ACTIVE_ACCOUNT',
    });
  });
});
