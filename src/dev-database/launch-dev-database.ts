import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, goBinDirectories } from './find-executable.js';
import { findFreePort } from './free-port.js';
import { spawnServer } from './spawn-server.js';
import { waitForPing } from './wait-for-ping.js';

/** Which server the launcher chose, in its order of preference. */
export type DevDatabaseKind = 'MONGODB_URI' | 'mongod' | 'ferretdb' | 'mongodb-memory-server';

export interface DevDatabase {
  /** Connection string including a database name of its own (`.../<databaseName>`). */
  readonly uri: string;
  readonly databaseName: string;
  readonly kind: DevDatabaseKind;
  /** Process id of the server this launcher started, or of its watchdog (`undefined` for `MONGODB_URI`). */
  readonly pid: number | undefined;
  /**
   * Control of the server process, for fault-injection tests (outages, restarts); only for the
   * `mongod` and `ferretdb` servers the launcher starts itself, `undefined` otherwise.
   */
  readonly server: DevDatabaseServer | undefined;
  /** Stops the server this launcher started and deletes its files; a no-op for `MONGODB_URI`. */
  stop(): Promise<void>;
}

/** The database server process of a `DevDatabase` (`mongod` or FerretDB). */
export interface DevDatabaseServer {
  /** The server's own process id (e.g. for SIGSTOP/SIGCONT); a new one after `start()`. */
  readonly pid: number | undefined;
  /** Stops the server process and keeps its port and data directory: the database goes away. */
  halt(): Promise<void>;
  /** Starts it again on the same port and data directory (no-op when running); resolves once it answers ping. */
  start(): Promise<void>;
}

export interface LaunchDevDatabaseOptions {
  /** Connection string to use instead of starting a server. @default process.env.MONGODB_URI */
  mongodbUri?: string | undefined;
  /** Database name; by default a fresh `dev_<random>` so that two launchers never share data. */
  databaseName?: string;
  /** How long to wait for the server to answer `ping`. @default 20000 */
  startTimeoutMs?: number;
  /** Where to report the choice; `false` for silence. @default console.error */
  log?: ((message: string) => void) | false;
  /** Servers to skip, e.g. `['mongod']` to force FerretDB. @default [] */
  skip?: readonly DevDatabaseKind[];
}

function withDatabaseName(uri: string, databaseName: string): string {
  const url = new URL(uri);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

async function startProcessServer(
  kind: 'mongod' | 'ferretdb',
  binary: string,
  databaseName: string,
  startTimeoutMs: number,
): Promise<DevDatabase> {
  const dataDirectory = await mkdtemp(join(tmpdir(), `simple-jwt-${kind}-`));
  const port = await findFreePort();
  const args =
    kind === 'mongod'
      ? ['--dbpath', dataDirectory, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet']
      : [
          '--handler=sqlite',
          `--sqlite-url=file:${join(dataDirectory, 'sqlite')}/`,
          `--state-dir=${dataDirectory}`,
          `--listen-addr=127.0.0.1:${port}`,
          '--debug-addr=-',
          '--telemetry=disable',
          '--log-level=error',
        ];
  if (kind === 'ferretdb') await mkdir(join(dataDirectory, 'sqlite'));
  const uri = withDatabaseName(`mongodb://127.0.0.1:${port}/`, databaseName);
  let server = spawnServer(binary, args, dataDirectory);
  const ready = async () => {
    try {
      await waitForPing(uri, { timeoutMs: startTimeoutMs, isAlive: server.isAlive });
    } catch (error) {
      const output = server.output();
      await server.stop();
      await rm(dataDirectory, { recursive: true, force: true });
      throw new Error(`${kind} did not start: ${(error as Error).message}\n${output}`);
    }
  };
  await ready();
  return {
    uri,
    databaseName,
    kind,
    get pid() {
      return server.process.pid;
    },
    server: {
      get pid() {
        return server.serverPid();
      },
      halt: () => server.stop({ keepData: true }),
      async start() {
        if (server.isAlive()) return;
        server = spawnServer(binary, args, dataDirectory);
        await ready();
      },
    },
    async stop() {
      await server.stop();
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}

async function startMemoryServer(databaseName: string): Promise<DevDatabase> {
  // Optional: only needed where neither mongod nor FerretDB exists; it downloads MongoDB.
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create();
  return {
    uri: withDatabaseName(server.getUri(), databaseName),
    databaseName,
    kind: 'mongodb-memory-server',
    pid: server.instanceInfo?.instance.mongodProcess?.pid,
    server: undefined,
    async stop() {
      await server.stop({ doCleanup: true, force: true });
    },
  };
}

/**
 * Starts (or finds) a MongoDB-compatible server for development and tests: `MONGODB_URI` if set; else
 * `mongod` on PATH; else a `ferretdb` binary (FerretDB v1, SQLite backend in a temporary directory on
 * a free loopback port); else `mongodb-memory-server-core`. Resolves once the server answers `ping`.
 */
export async function launchDevDatabase(options: LaunchDevDatabaseOptions = {}): Promise<DevDatabase> {
  const {
    mongodbUri = process.env['MONGODB_URI'],
    databaseName = `dev_${randomBytes(6).toString('hex')}`,
    startTimeoutMs = 20_000,
    log = (message: string) => console.error(message),
    skip = [],
  } = options;
  const report = (database: DevDatabase) => {
    if (log) log(`[dev-database] using ${database.kind} at ${database.uri}`);
    return database;
  };
  if (mongodbUri && !skip.includes('MONGODB_URI')) {
    const uri = withDatabaseName(mongodbUri, databaseName);
    await waitForPing(uri, { timeoutMs: startTimeoutMs });
    return report({
      uri,
      databaseName,
      kind: 'MONGODB_URI',
      pid: undefined,
      server: undefined,
      stop: async () => undefined,
    });
  }
  const mongod = skip.includes('mongod') ? undefined : findExecutable('mongod');
  if (mongod) return report(await startProcessServer('mongod', mongod, databaseName, startTimeoutMs));
  const ferretdb = skip.includes('ferretdb') ? undefined : findExecutable('ferretdb', goBinDirectories());
  if (ferretdb) return report(await startProcessServer('ferretdb', ferretdb, databaseName, startTimeoutMs));
  if (skip.includes('mongodb-memory-server')) throw new Error('no MongoDB-compatible server is available');
  return report(await startMemoryServer(databaseName));
}
