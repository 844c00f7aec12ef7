import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { type DevDatabase, launchDevDatabase } from '../../src/dev-database/index.js';
import type { ChildConfig } from '../server/protocol.js';
import { type ServerHandle, startServer } from '../server/server-handle.js';
import type { LoadProbes } from './load.js';
import { createScenarios } from './scenarios.js';

/** Everything the HTTP sections share: one database, one server child, its tokens and scenarios. */
export interface BenchEnvironment {
  readonly database: DevDatabase;
  /** The runner's own connection (bulk inserts, flushing), apart from the server's. */
  readonly connection: Connection;
  readonly childConfig: ChildConfig;
  readonly server: ServerHandle;
  readonly probes: LoadProbes;
  readonly scenarios: ReturnType<typeof createScenarios>;
  readonly log: (message: string) => void;
  close(): Promise<void>;
}

/**
 * Launches the development database (FerretDB on PostgreSQL where a PostgreSQL server answers,
 * `MONGODB_URI` when set) and a server child on it. `postgresUrl: false` forces FerretDB's SQLite
 * backend (a second environment, to compare the backends).
 */
export async function createEnvironment(
  log: (message: string) => void,
  { postgresUrl }: { postgresUrl?: false } = {},
): Promise<BenchEnvironment> {
  const database = await launchDevDatabase({
    databaseName: `bench_${randomBytes(4).toString('hex')}`,
    log,
    ...(postgresUrl === false ? { postgresUrl } : {}),
  });
  const connection = await mongoose.createConnection(database.uri).asPromise();
  const childConfig: ChildConfig = {
    databaseUri: database.uri,
    signingKey: randomBytes(64).toString('base64url'),
  };
  const server = await startServer(childConfig);
  const [accessToken] = await server.mint('db', 'access', 1);
  const [refreshToken] = await server.mint('db', 'refresh', 1);
  const scenarios = createScenarios({ server, accessToken: accessToken!, refreshToken: refreshToken! });
  return {
    database,
    connection,
    childConfig,
    server,
    probes: { server, databasePid: database.pid },
    scenarios,
    log,
    async close() {
      await server.stop();
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
      await database.stop();
    },
  };
}
