// The Apollo example server (`npx tsx examples/apollo/server.ts`): PORT (default 4001; 0 picks a free
// one), HOST (default 127.0.0.1: this machine only), MONGODB_URI and SIMPLE_JWT_* settings as for the
// Yoga server (examples/yoga/server-environment.ts), and the user demo / demo-password.
import { startStandaloneServer } from '@apollo/server/standalone';
import { ensureDemoUser, exampleServerEnvironment, listenAddress } from '../yoga/server-environment.js';
import { createApolloExample } from './app.js';

const { port, host } = listenAddress(process.env, 4001);
const { connection, settings, refreshCookie, close } = await exampleServerEnvironment();
const { server, jwt, User } = createApolloExample({ connection, settings, refreshCookie });
await ensureDemoUser(User, jwt.passwordHasher);

const { url } = await startStandaloneServer(server, {
  listen: { port, host },
  context: jwt.apolloContext,
});
console.log(`Apollo Server ready at ${url}`);

async function shutdown() {
  await server.stop();
  await close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
