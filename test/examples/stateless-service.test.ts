import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import {
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  insecureTestScryptOptions,
  messages,
} from 'pothos-plugin-simple-jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MeDocument,
  TokenObtainPairDocument,
  TypedDocumentString,
} from '../../examples/generated/graphql.js';
import { createStatelessService } from '../../examples/stateless-service/app.js';
import { createExampleApp } from '../../examples/yoga/app.js';
import { connectFreshDatabase } from '../support/database.js';
import { firstError, graphqlClient } from '../support/graphql-client.js';
import { simpleJwtToken } from '../support/simple-jwt-token.js';

const CallerDocument = new TypedDocumentString<{ caller: { id: string } | null }, Record<string, never>>(
  'query Caller { caller { id } }',
);

const signingKey = randomBytes(64);
const main = createExampleApp({
  connection: await connectFreshDatabase('stateless'),
  settings: { signingKey },
  passwordHasher: createScryptPasswordHasher(insecureTestScryptOptions),
});
const executeOnMain = graphqlClient(async (url, init) => main.yoga.fetch(url, init), 'http://main/graphql');

// The service is created after the database work above, so that a connection it opened would show.
const connectionsBefore = mongoose.connections.length;
const service = createStatelessService({ settings: { signingKey } });
const executeOnService = graphqlClient(
  async (url, init) => service.yoga.fetch(url, init),
  'http://svc/graphql',
);
let userId: string;

beforeAll(async () => {
  const user = await createUser(
    main.User,
    { username: 'kim', password: 'kim-password' },
    main.jwt.passwordHasher,
  );
  userId = String(user._id);
});

async function pairFromMain() {
  const response = await executeOnMain(TokenObtainPairDocument, {
    username: 'kim',
    password: 'kim-password',
  });
  const pair = response.data?.tokenObtainPair;
  if (!pair) throw new Error(`no pair: ${response.body}`);
  return pair;
}

describe('the stateless service', () => {
  it("authenticates the main app's access token from its claims alone", async () => {
    const { access } = await pairFromMain();
    const caller = await executeOnService(CallerDocument, {}, { token: access });
    expect(caller.errors).toBeUndefined();
    expect(caller.data?.caller).toEqual({ id: userId });

    const context = await service.jwt.authenticate({ authorization: `Bearer ${access}` });
    expect(context.user).toBeNull();
    expect(context.tokenUser?.id).toBe(userId);
  });

  it('rejects a token signed with another key', async () => {
    const impostor = createSimpleJwt({ settings: { signingKey: randomBytes(64) } });
    const forged = await impostor.tokens.AccessToken.forUser({ id: userId });
    const caller = await executeOnService(CallerDocument, {}, { token: forged.toString() });
    expect(caller.status).toBe(401);
    expect(firstError(caller)).toMatchObject({
      code: 'TOKEN_NOT_VALID',
      message: messages.notValidForAnyType,
    });
    expect(caller.errors?.[0]?.extensions?.['messages']).toEqual([
      { tokenClass: 'AccessToken', tokenType: 'access', message: messages.tokenInvalid },
    ]);
  });

  it("rejects the main app's refresh token: access tokens only", async () => {
    const { refresh } = await pairFromMain();
    const caller = await executeOnService(CallerDocument, {}, { token: refresh });
    expect(caller.status).toBe(401);
    expect(firstError(caller).code).toBe('TOKEN_NOT_VALID');
  });

  it('answers an anonymous caller with UNAUTHENTICATED', async () => {
    const caller = await executeOnService(CallerDocument, {});
    expect(firstError(caller)).toMatchObject({ code: 'UNAUTHENTICATED', path: ['caller'] });
  });

  it('issues no tokens and makes no database connection', async () => {
    expect(service.jwt.store).toBeNull();
    expect(service.jwt.users).toBeNull();
    const obtain = await executeOnService(TokenObtainPairDocument, {
      username: 'kim',
      password: 'kim-password',
    });
    expect(firstError(obtain).message).toBe('Schema is not configured to execute mutation operation.');
    expect(mongoose.connections.length).toBe(connectionsBefore);
  });
});

describe('access tokens Simple JWT made with the shared key, "user_id" a JSON integer (up to 5.5.0)', () => {
  const madeBySimpleJwt = (userIdJson: string) =>
    simpleJwtToken({
      tokenType: 'access',
      userIdJson,
      issuedAt: Math.floor(Date.now() / 1000),
      lifetime: 300,
      signingKey,
    }).token;

  it('authenticates "user_id": 1 on the service as the caller "1"; the database app has no such user', async () => {
    const token = madeBySimpleJwt('1');
    const caller = await executeOnService(CallerDocument, {}, { token });
    expect(caller.errors).toBeUndefined();
    expect(caller.data?.caller).toEqual({ id: '1' });

    const me = await executeOnMain(MeDocument, {}, { token });
    expect(me.status).toBe(401);
    expect(firstError(me)).toMatchObject({ code: 'USER_NOT_FOUND', message: messages.userNotFound });
  });

  it.each(['1.5', '1e300', '9007199254740993', 'true', 'null', '""', '{}', '[]', '[1]'])(
    'refuses "user_id": %s as no recognizable user',
    async (userIdJson) => {
      const caller = await executeOnService(CallerDocument, {}, { token: madeBySimpleJwt(userIdJson) });
      expect(caller.status).toBe(401);
      expect(firstError(caller)).toMatchObject({
        code: 'TOKEN_NOT_VALID',
        message: messages.noRecognizableUser,
      });
    },
  );
});
