import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findExecutable, goBinDirectories } from './find-executable.js';
import { findFreePort } from './free-port.js';
import {
  createPostgresDatabase,
  defaultPostgresUrl,
  dropPostgresDatabase,
  type PostgresDatabase,
  PostgresUnavailable,
} from './postgres-database.js';
import { spawnServer } from './spawn-server.js';
import { waitForPing } from './wait-for-ping.js';

/** Which server the launcher chose, in its order of preference. */
export type DevDatabaseKind = 'MONGODB_URI' | 'mongod' | 'ferretdb' | 'mongodb-memory-server';

/** Where FerretDB keeps the data: a PostgreSQL database or SQLite files. */
export type FerretDbBackend = 'postgresql' | 'sqlite';

export interface DevDatabase {
  /** Connection string including a database name of its own (`.../<databaseName>`). */
  readonly uri: string;
  readonly databaseName: string;
  readonly kind: DevDatabaseKind;
  /** FerretDB's backend; `undefined` for the other kinds. */
  readonly backend: FerretDbBackend | undefined;
  /** Process id of the server this launcher started, or of its watchdog (`undefined` for `MONGODB_URI`). */
  readonly pid: number | undefined;
  /**
   * Control of the server process, for fault-injection tests (outages, restarts); only for the
   * `mongod` and `ferretdb` servers the launcher starts itself, `undefined` otherwise.
   */
  readonly server: DevDatabaseServer | undefined;
  /**
   * Stops the server this launcher started and deletes its files and its PostgreSQL database; a
   * no-op for `MONGODB_URI`.
   */
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
  /**
   * A directory where a started `mongod` or FerretDB keeps its data across launches (created when
   * missing, never deleted; one server at a time). Unset, every launch starts empty in a temporary
   * directory that is removed at stop.
   * @default process.env.DEV_DATABASE_DIR
   */
  dataDirectory?: string | undefined;
  /**
   * A PostgreSQL server for FerretDB's PostgreSQL backend (much faster than SQLite): a URL of a
   * database there to connect to, as a user allowed to create databases. Each launch creates a
   * fresh database on it and drops it at stop (also when the launching process is killed). When
   * the server cannot be reached (or the `pg` package is not installed), or with `false` (or the
   * variable set to `off`), FerretDB uses SQLite. With `dataDirectory` FerretDB uses SQLite in it.
   * @default process.env.DEV_DATABASE_POSTGRES_URL, else 'postgres://postgres@127.0.0.1:5432/postgres'
   */
  postgresUrl?: string | false;
}

/** What to do when no server could be found or started; also the launcher's error. */
export const noServerAdvice =
  'No MongoDB-compatible server is available. Do one of: set MONGODB_URI to a MongoDB 6, 7 or 8 server; ' +
  'put mongod on PATH; or install Go (https://go.dev/dl/) and run `npm run db:install` to build FerretDB. ' +
  'mongodb-memory-server-core, the last resort, needs internet access to download MongoDB.';

function withDatabaseName(uri: string, databaseName: string): string {
  const url = new URL(uri);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

/** The URL without its password, for log lines. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

function ferretDbArgs(dataDirectory: string, port: number, postgres: PostgresDatabase | undefined): string[] {
  const backend = postgres
    ? ['--handler=postgresql', `--postgresql-url=${postgres.url}`]
    : ['--handler=sqlite', `--sqlite-url=file:${join(dataDirectory, 'sqlite')}/`];
  return [
    ...backend,
    `--state-dir=${dataDirectory}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=error',
  ];
}

async function startProcessServer(
  kind: 'mongod' | 'ferretdb',
  binary: string,
  databaseName: string,
  startTimeoutMs: number,
  persistentDirectory: string | undefined,
  postgres?: PostgresDatabase,
): Promise<DevDatabase> {
  // Each kind in a subdirectory of its own: mongod and FerretDB cannot read each other's files.
  const dataDirectory = persistentDirectory
    ? resolve(persistentDirectory, kind)
    : await mkdtemp(join(tmpdir(), `simple-jwt-${kind}-`));
  const keepData = persistentDirectory !== undefined;
  await mkdir(dataDirectory, { recursive: true });
  const port = await findFreePort();
  const args =
    kind === 'mongod'
      ? ['--dbpath', dataDirectory, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet']
      : ferretDbArgs(dataDirectory, port, postgres);
  if (kind === 'ferretdb' && !postgres) await mkdir(join(dataDirectory, 'sqlite'), { recursive: true });
  const uri = withDatabaseName(`mongodb://127.0.0.1:${port}/`, databaseName);
  const spawn = () => spawnServer(binary, args, dataDirectory, { keepData, cleanup: postgres?.dropCommand });
  const removeData = () => (keepData ? undefined : rm(dataDirectory, { recursive: true, force: true }));
  let server = spawn();
  const ready = async () => {
    try {
      await waitForPing(uri, { timeoutMs: startTimeoutMs, isAlive: server.isAlive });
    } catch (error) {
      const output = server.output();
      await server.stop();
      await removeData();
      throw new Error(`${kind} did not start: ${(error as Error).message}\n${output}`);
    }
  };
  await ready();
  return {
    uri,
    databaseName,
    kind,
    backend: kind === 'ferretdb' ? (postgres ? 'postgresql' : 'sqlite') : undefined,
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
        server = spawn();
        await ready();
      },
    },
    async stop() {
      await server.stop();
      await removeData();
    },
  };
}

async function startMemoryServer(databaseName: string): Promise<DevDatabase> {
  // Optional: only needed where neither mongod nor FerretDB exists; it downloads MongoDB.
  let server: import('mongodb-memory-server-core').MongoMemoryServer;
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server-core');
    server = await MongoMemoryServer.create();
  } catch (error) {
    throw new Error(`${noServerAdvice} (mongodb-memory-server-core: ${(error as Error).message})`, {
      cause: error,
    });
  }
  return {
    uri: withDatabaseName(server.getUri(), databaseName),
    databaseName,
    kind: 'mongodb-memory-server',
    backend: undefined,
    pid: server.instanceInfo?.instance.mongodProcess?.pid,
    server: undefined,
    async stop() {
      await server.stop({ doCleanup: true, force: true });
    },
  };
}

function postgresUrlFromEnvironment(): string | false {
  const value = process.env['DEV_DATABASE_POSTGRES_URL'];
  if (value === 'off') return false;
  return value || defaultPostgresUrl;
}

/** A fresh PostgreSQL database for FerretDB, or `undefined` (logged) when PostgreSQL is not usable. */
async function postgresFor(
  postgresUrl: string | false,
  log: ((message: string) => void) | false,
): Promise<PostgresDatabase | undefined> {
  if (postgresUrl === false) return undefined;
  try {
    return await createPostgresDatabase(postgresUrl);
  } catch (error) {
    if (!(error instanceof PostgresUnavailable)) throw error;
    if (log) {
      log(
        `[dev-database] PostgreSQL at ${withoutPassword(postgresUrl)} is not usable (${error.message}): FerretDB uses SQLite`,
      );
    }
    return undefined;
  }
}

/**
 * Starts (or finds) a MongoDB-compatible server for development and tests: `MONGODB_URI` if set; else
 * `mongod` on PATH; else a `ferretdb` binary (FerretDB v1 on a free loopback port, on a fresh
 * PostgreSQL database when a PostgreSQL server is reachable, else on SQLite in a temporary
 * directory); else `mongodb-memory-server-core`. Resolves once the server answers `ping`.
 * It logs which server and backend it chose.
 * @throws Error saying what to install when none of them is available.
 */
export async function launchDevDatabase(options: LaunchDevDatabaseOptions = {}): Promise<DevDatabase> {
  const {
    mongodbUri = process.env['MONGODB_URI'],
    databaseName = `dev_${randomBytes(6).toString('hex')}`,
    startTimeoutMs = 20_000,
    log = (message: string) => console.error(message),
    skip = [],
    dataDirectory = process.env['DEV_DATABASE_DIR'] || undefined,
    postgresUrl = postgresUrlFromEnvironment(),
  } = options;
  const report = (database: DevDatabase) => {
    const backend = database.backend
      ? ` (${database.backend === 'postgresql' ? 'PostgreSQL' : 'SQLite'} backend)`
      : '';
    if (log) log(`[dev-database] using ${database.kind}${backend} at ${database.uri}`);
    return database;
  };
  if (mongodbUri && !skip.includes('MONGODB_URI')) {
    const uri = withDatabaseName(mongodbUri, databaseName);
    await waitForPing(uri, { timeoutMs: startTimeoutMs });
    return report({
      uri,
      databaseName,
      kind: 'MONGODB_URI',
      backend: undefined,
      pid: undefined,
      server: undefined,
      stop: async () => undefined,
    });
  }
  const mongod = skip.includes('mongod') ? undefined : findExecutable('mongod');
  if (mongod) {
    return report(await startProcessServer('mongod', mongod, databaseName, startTimeoutMs, dataDirectory));
  }
  const ferretdb = skip.includes('ferretdb') ? undefined : findExecutable('ferretdb', goBinDirectories());
  if (ferretdb) {
    const postgres = dataDirectory ? undefined : await postgresFor(postgresUrl, log);
    try {
      return report(
        await startProcessServer('ferretdb', ferretdb, databaseName, startTimeoutMs, dataDirectory, postgres),
      );
    } catch (error) {
      // The watchdog drops the database when it ran; this covers a spawn that never got that far.
      if (postgres) await dropPostgresDatabase(postgres);
      throw error;
    }
  }
  if (skip.includes('mongodb-memory-server')) throw new Error(noServerAdvice);
  return report(await startMemoryServer(databaseName));
}
