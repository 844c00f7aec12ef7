// The Apollo example server (`npx tsx examples/apollo/server.ts`): PORT (default 4001; 0 picks a free
// one), HOST (default: every interface), MONGODB_URI (its database, else `simple_jwt_example`; without
// it the development database launcher), SIMPLE_JWT_* settings, and the user demo / demo-password.
import { randomBytes } from 'node:crypto';
import { startStandaloneServer } from '@apollo/server/standalone';
import mongoose from 'mongoose';
import { createUser, settingsFromEnv } from 'pothos-plugin-simple-jwt';
import { launchDevDatabase } from 'pothos-plugin-simple-jwt/dev-database';
import { createApolloExample } from './app.js';

const port = Number(process.env['PORT'] ?? 4001);
const host = process.env['HOST'] || undefined;
const databaseName = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^/?]+)/.exec(process.env['MONGODB_URI'] ?? '')?.[1];
const database = await launchDevDatabase({ databaseName: databaseName ?? 'simple_jwt_example' });
const connection = await mongoose.createConnection(database.uri).asPromise();

const settings = settingsFromEnv(process.env);
if (!settings.signingKey) {
  settings.signingKey = randomBytes(64).toString('base64url');
  console.warn('SIMPLE_JWT_SIGNING_KEY is not set: using a random key, so tokens do not survive a restart.');
}
settings.rotateRefreshTokens ??= true;
settings.blacklistAfterRotation ??= true;
if (!settings.authTokenClasses) settings.authTokenClasses = ['access', 'sliding'];

const { server, jwt, User } = createApolloExample({ connection, settings });
if (!(await User.exists({ username: { $eq: 'demo' } }))) {
  await createUser(User, { username: 'demo', password: 'demo-password' }, jwt.passwordHasher);
  console.log('Created the user demo / demo-password.');
}

const { url } = await startStandaloneServer(server, {
  listen: host ? { port, host } : { port },
  context: jwt.apolloContext,
});
console.log(`Apollo Server ready at ${url}`);

async function shutdown() {
  await server.stop();
  await connection.close();
  await database.stop();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
