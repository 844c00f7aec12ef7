import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import mongoose from 'mongoose';
import { createUser, settingsFromEnv } from 'pothos-plugin-simple-jwt';
import { launchDevDatabase } from 'pothos-plugin-simple-jwt/dev-database';
import { createExampleApp } from './app.js';

// `npm start`: PORT (default 4000), MONGODB_URI (else the development database launcher),
// SIMPLE_JWT_* settings, and the user demo / demo-password created when missing.
const port = Number(process.env['PORT'] ?? 4000);
const database = await launchDevDatabase({ databaseName: 'simple_jwt_example' });
const connection = await mongoose.createConnection(database.uri).asPromise();

const settings = settingsFromEnv(process.env);
if (!settings.signingKey) {
  settings.signingKey = randomBytes(64).toString('base64url');
  console.warn('SIMPLE_JWT_SIGNING_KEY is not set: using a random key, so tokens do not survive a restart.');
}
settings.rotateRefreshTokens ??= true;
settings.blacklistAfterRotation ??= true;
if (!settings.authTokenClasses) settings.authTokenClasses = ['access', 'sliding'];

const { yoga, jwt, User } = createExampleApp({ connection, settings });
if (!(await User.exists({ username: { $eq: 'demo' } }))) {
  await createUser(User, { username: 'demo', password: 'demo-password' }, jwt.passwordHasher);
  console.log('Created the user demo / demo-password.');
}

const server = createServer(yoga);
server.listen(port, () => {
  console.log(`GraphQL server ready at http://localhost:${port}${yoga.graphqlEndpoint}`);
});

async function shutdown() {
  server.close();
  await connection.close();
  await database.stop();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
