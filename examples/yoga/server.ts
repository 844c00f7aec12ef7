// `npm start`: PORT (default 4000; 0 picks a free one), HOST (default: every interface), MONGODB_URI and
// SIMPLE_JWT_* settings (see server-environment.ts), and the user demo / demo-password created when missing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createExampleApp } from './app.js';
import { ensureDemoUser, exampleServerEnvironment } from './server-environment.js';

const port = Number(process.env['PORT'] ?? 4000);
const host = process.env['HOST'] || undefined;
const { connection, settings, close } = await exampleServerEnvironment();
const { yoga, jwt, User } = createExampleApp({ connection, settings });
await ensureDemoUser(User, jwt.passwordHasher);

const server = createServer(yoga);
server.listen(port, host, () => {
  const { port: listening } = server.address() as AddressInfo;
  console.log(`GraphQL server ready at http://localhost:${listening}${yoga.graphqlEndpoint}`);
});

async function shutdown() {
  server.close();
  await close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
