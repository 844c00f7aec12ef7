import { randomBytes } from 'node:crypto';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createScryptPasswordHasher, createUser, insecureTestScryptOptions } from 'pothos-plugin-simple-jwt';
import { afterAll, expect, it } from 'vitest';
import { createApolloExample } from '../../examples/apollo/app.js';
import { TokenObtainPairDocument } from '../../examples/generated/graphql.js';
import { connectFreshDatabase } from '../support/database.js';
import { graphqlClient } from '../support/graphql-client.js';

// The Apollo example with login throttling on, started with `context: jwt.apolloContext` as
// examples/apollo/server.ts starts it: the address counted is the socket peer that apolloContext keeps.
const connection = await connectFreshDatabase('apollo_throttle');
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const { server, jwt, User } = createApolloExample({
  connection,
  settings: { signingKey: randomBytes(64), loginThrottle: true, loginThrottleAddressFailures: 3 },
  passwordHasher: hasher,
});
await createUser(User, { username: 'alice', password: 'alice-password' }, hasher);
const { url } = await startStandaloneServer(server, { context: jwt.apolloContext, listen: { port: 0 } });
afterAll(async () => {
  await server.stop();
});
const execute = graphqlClient(fetch, url);

it('answers 429 with Retry-After once the socket peer address has failed 3 times', async () => {
  for (const username of ['a', 'b', 'c']) {
    const response = await execute(TokenObtainPairDocument, { username, password: 'guess' });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('NO_ACTIVE_ACCOUNT');
  }
  const refused = await execute(TokenObtainPairDocument, { username: 'alice', password: 'alice-password' });
  expect({
    status: refused.status,
    retryAfter: refused.headers.get('retry-after'),
    code: refused.errors?.[0]?.extensions?.['code'],
    seconds: refused.errors?.[0]?.extensions?.['retryAfter'],
  }).toEqual({ status: 429, retryAfter: '60', code: 'TOO_MANY_ATTEMPTS', seconds: 60 });
  const counters = await connection.collection('login_attempts').distinct('key', { key: /^a:/ });
  expect(counters).toEqual([expect.stringMatching(/^a:(127\.0\.0\.1|::1)$/)]);
});
