import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

/** Where the launcher looks for PostgreSQL unless told otherwise (trust auth on the loopback). */
export const defaultPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A PostgreSQL database created for one launch, for FerretDB's PostgreSQL backend. */
export interface PostgresDatabase {
  /** The database's URL, for FerretDB's `--postgresql-url`. */
  readonly url: string;
  readonly name: string;
  /**
   * What the launcher's watchdog runs to drop the database once FerretDB has stopped (also when the
   * launching process was killed): `node -e <script>` with these variables.
   */
  readonly dropCommand: { readonly script: string; readonly env: Readonly<Record<string, string>> };
}

/** Why PostgreSQL cannot be used, for the launcher's log line. */
export class PostgresUnavailable extends Error {}

// CommonJS run by `node -e` in the watchdog: it must not depend on this package being compiled.
const dropScript = `
const { Client } = require(process.env.DEV_DATABASE_PG_MODULE);
const client = new Client({ connectionString: process.env.DEV_DATABASE_PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
client.connect()
  .then(() => client.query('DROP DATABASE IF EXISTS "' + process.env.DEV_DATABASE_PG_NAME + '" WITH (FORCE)'))
  .catch((error) => console.error('[dev-database] could not drop ' + process.env.DEV_DATABASE_PG_NAME + ': ' + error.message))
  .finally(() => client.end().catch(() => undefined));
`;

type PgModule = typeof import('pg');

/** `pg`, an optional dependency: only this launcher needs it. */
function loadPg(): { pg: PgModule; path: string } {
  const require = createRequire(import.meta.url);
  try {
    const path = require.resolve('pg');
    return { pg: require(path) as PgModule, path };
  } catch {
    throw new PostgresUnavailable('the pg package is not installed (npm install pg)');
  }
}

/**
 * Creates a fresh database `simple_jwt_dev_<random>` on the PostgreSQL server at `adminUrl` (a
 * database there that the user can connect to, and a user allowed to create databases).
 * @throws PostgresUnavailable when `pg` is missing or the server cannot be reached in `timeoutMs`.
 */
export async function createPostgresDatabase(adminUrl: string, timeoutMs = 2000): Promise<PostgresDatabase> {
  const { pg, path } = loadPg();
  const name = `simple_jwt_dev_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    throw new PostgresUnavailable((error as Error).message || String(error));
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    dropCommand: {
      script: dropScript,
      env: { DEV_DATABASE_PG_MODULE: path, DEV_DATABASE_PG_ADMIN_URL: adminUrl, DEV_DATABASE_PG_NAME: name },
    },
  };
}

/** Drops the database in-process (when no watchdog was started to do it); never throws. */
export async function dropPostgresDatabase(database: PostgresDatabase): Promise<void> {
  const { pg } = loadPg();
  const client = new pg.Client({
    connectionString: database.dropCommand.env['DEV_DATABASE_PG_ADMIN_URL'],
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`);
  } catch {
    // Best effort: the launch already failed with the error that matters.
  } finally {
    await client.end().catch(() => undefined);
  }
}
