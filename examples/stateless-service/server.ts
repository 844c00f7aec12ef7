// The stateless service on its own port: PORT (default 4001; 0 picks a free one), HOST (default
// 127.0.0.1), SIMPLE_JWT_* settings: the main app's SIMPLE_JWT_SIGNING_KEY for HS*, or
// SIMPLE_JWT_ALGORITHM=ES256 with SIMPLE_JWT_JWK_URL=http://127.0.0.1:4000/.well-known/jwks.json to
// verify through the main app's published keys. JWKS_CACHE_MAX_AGE_MS: how long a fetched key is
// trusted (default 10 minutes; an unknown kid refetches the set, at most 10 times a minute).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { settingsFromEnv } from 'pothos-plugin-simple-jwt';
import { listenAddress, serverUrl } from '../yoga/server-environment.js';
import { createStatelessService } from './app.js';

const { port, host } = listenAddress(process.env, 4001);
const cacheMaxAge = process.env['JWKS_CACHE_MAX_AGE_MS'];
const { yoga } = createStatelessService({
  settings: settingsFromEnv(process.env),
  ...(cacheMaxAge ? { jwksClient: { cacheMaxAgeMs: Number(cacheMaxAge) } } : {}),
});

const server = createServer(yoga);
server.listen(port, host, () => {
  const url = serverUrl(server.address() as AddressInfo, yoga.graphqlEndpoint);
  console.log(`Stateless service ready at ${url}`);
});

function shutdown() {
  server.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
