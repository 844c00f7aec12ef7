// `npm start`: PORT (default 4000; 0 picks a free one), HOST (default 127.0.0.1: this machine only),
// MONGODB_URI and SIMPLE_JWT_* settings (see server-environment.ts), and the user demo / demo-password
// created when missing. With SIMPLE_JWT_REFRESH_COOKIE=true it also serves the web client of
// examples/browser at / (SIMPLE_JWT_REFRESH_COOKIE_SECURE=false on plain http://localhost).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createExampleApp } from './app.js';
import { ensureDemoUser, exampleServerEnvironment, listenAddress, serverUrl } from './server-environment.js';

const { port, host } = listenAddress(process.env, 4000);
const { connection, settings, refreshCookie, corsOrigins, close } = await exampleServerEnvironment();
const { yoga, jwt, User } = createExampleApp({ connection, settings, refreshCookie, corsOrigins });
await ensureDemoUser(User, jwt.passwordHasher);

const server = createServer(yoga);
server.listen(port, host, () => {
  const url = serverUrl(server.address() as AddressInfo, yoga.graphqlEndpoint);
  // The ready line comes last: whoever waits for it has everything printed before it.
  if (refreshCookie) console.log(`Web client at ${new URL('/', url)}`);
  console.log(`GraphQL server ready at ${url}`);
});

async function shutdown() {
  server.close();
  await close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
