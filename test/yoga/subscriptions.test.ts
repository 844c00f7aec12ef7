import { randomBytes } from 'node:crypto';
import SchemaBuilder from '@pothos/core';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import SimpleJwtPlugin, {
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  createUserModel,
  insecureTestScryptOptions,
  type SimpleJwtContext,
  type UserDocument,
} from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { type ListeningServer, listen } from './listen.js';

// graphql-ws subscriptions wired to Yoga as Yoga documents it: the context factory receives the
// connection's `connectionParams`, from which `jwt.yogaContext` authenticates.
const connection = await connectFreshDatabase('yoga_ws');
const User = createUserModel(connection);
const passwordHasher = createScryptPasswordHasher(insecureTestScryptOptions);
const jwt = createSimpleJwt({
  settings: { signingKey: randomBytes(64) },
  connection,
  userModel: User,
  passwordHasher,
});
await createUser(User, { username: 'demo', password: 'demo-password' }, passwordHasher);
let protectedSubscribeCalls = 0;

const builder = new SchemaBuilder<{ Context: SimpleJwtContext<UserDocument> }>({
  plugins: [SimpleJwtPlugin],
  simpleJwt: jwt,
});
builder.queryType({ fields: (t) => ({ ok: t.boolean({ resolve: () => true }) }) });
builder.subscriptionType({
  fields: (t) => ({
    username: t.string({
      nullable: true,
      subscribe: async function* () {
        yield 1;
      },
      resolve: (_event, _args, context) => context.user?.username ?? null,
    }),
    secret: t.string({
      authRequired: true,
      subscribe: async function* () {
        protectedSubscribeCalls++;
        yield 1;
      },
      resolve: (_event, _args, context) => `for ${context.user?.username}`,
    }),
  }),
});
const yoga = createYoga({ schema: builder.toSchema(), context: jwt.yogaContext, logging: false });

interface YogaRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

let server: ListeningServer;
let wsUrl: string;
const clients: Client[] = [];

beforeAll(async () => {
  server = await listen(yoga);
  wsUrl = server.url.replace('http:', 'ws:');
  const sockets = new WebSocketServer({ server: server.server, path: yoga.graphqlEndpoint });
  useServer(
    {
      execute: (args) => (args.rootValue as YogaRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as YogaRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const document = parse(params.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        // An authentication failure becomes the subscription's error message, with its code.
        let contextValue: Awaited<ReturnType<typeof contextFactory>>;
        try {
          contextValue = await contextFactory();
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const rootValue: YogaRoot = { execute, subscribe };
        return {
          schema,
          document,
          contextValue,
          rootValue,
          operationName: params.operationName ?? null,
          variableValues: params.variables ?? null,
        };
      },
    },
    sockets,
  );
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await server.close();
});

function clientWith(connectionParams?: Record<string, unknown>): Client {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    ...(connectionParams ? { connectionParams } : {}),
  });
  clients.push(client);
  return client;
}

/** Runs one subscription to its end: the results, or the error list the server sent. */
async function subscribeOnce(client: Client, query: string) {
  const results: unknown[] = [];
  try {
    for await (const result of client.iterate({ query })) results.push(result);
    return { results, errors: undefined };
  } catch (errors) {
    return { results, errors: errors as { message: string; extensions?: Record<string, unknown> }[] };
  }
}

async function accessToken() {
  return (await jwt.obtainTokenPair({ username: 'demo', password: 'demo-password' })).access;
}

describe('subscriptions over graphql-ws', () => {
  it.each(['Authorization', 'authorization'])('authenticates from connectionParams.%s', async (key) => {
    const client = clientWith({ [key]: `Bearer ${await accessToken()}` });
    const { results, errors } = await subscribeOnce(client, 'subscription { username }');
    expect(errors).toBeUndefined();
    expect(results).toEqual([{ data: { username: 'demo' } }]);
  });

  it('is anonymous without connectionParams', async () => {
    const { results, errors } = await subscribeOnce(clientWith(), 'subscription { username }');
    expect(errors).toBeUndefined();
    expect(results).toEqual([{ data: { username: null } }]);
  });

  it.each([
    [
      'a refresh token',
      async () => (await jwt.obtainTokenPair({ username: 'demo', password: 'demo-password' })).refresh,
    ],
    ['a malformed token', async () => 'not-a-jwt'],
  ])('rejects %s with TOKEN_NOT_VALID', async (_case, token) => {
    const client = clientWith({ Authorization: `Bearer ${await token()}` });
    const { results, errors } = await subscribeOnce(client, 'subscription { username }');
    expect(results).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors?.[0]).toMatchObject({
      message: 'Given token not valid for any token type',
      extensions: { code: 'TOKEN_NOT_VALID' },
    });
  });

  it('rejects a bare scheme with BAD_AUTHORIZATION_HEADER', async () => {
    const { errors } = await subscribeOnce(
      clientWith({ Authorization: 'Bearer' }),
      'subscription { username }',
    );
    expect(errors?.[0]).toMatchObject({ extensions: { code: 'BAD_AUTHORIZATION_HEADER' } });
  });

  it('guards an authRequired subscription before its event stream opens', async () => {
    const before = protectedSubscribeCalls;
    const anonymous = await subscribeOnce(clientWith(), 'subscription { secret }');
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.results).toEqual([
      {
        errors: [
          expect.objectContaining({
            message: 'Authentication credentials were not provided.',
            path: ['secret'],
            extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
          }),
        ],
      },
    ]);
    expect(protectedSubscribeCalls).toBe(before);

    const client = clientWith({ Authorization: `Bearer ${await accessToken()}` });
    const known = await subscribeOnce(client, 'subscription { secret }');
    expect(known.results).toEqual([{ data: { secret: 'for demo' } }]);
    expect(protectedSubscribeCalls).toBe(before + 1);
  });
});
