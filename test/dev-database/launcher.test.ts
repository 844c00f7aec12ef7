import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Schema } from 'mongoose';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { findExecutable, goBinDirectories } from '../../src/dev-database/find-executable.js';
import { findFreePort } from '../../src/dev-database/free-port.js';
import { type DevDatabase, launchDevDatabase } from '../../src/dev-database/index.js';
import { defaultPostgresUrl } from '../../src/dev-database/postgres-database.js';
import { connectFreshDatabase } from '../support/database.js';

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` until it holds; `timeoutMs` is only a hang guard (the machine may be busy). */
async function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}

const postgresUrl = process.env['DEV_DATABASE_POSTGRES_URL'] || defaultPostgresUrl;

/** The databases on the PostgreSQL server named like the launcher's; `undefined` when it is unreachable. */
async function launcherDatabasesOnPostgres(): Promise<string[] | undefined> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const result = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'simple\\_jwt\\_dev\\_%'",
    );
    return result.rows.map((row) => row.datname);
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when this launcher would start FerretDB (no MONGODB_URI, no mongod, a ferretdb binary). */
function launchesFerretDb(): boolean {
  return (
    !process.env['MONGODB_URI'] &&
    findExecutable('mongod') === undefined &&
    findExecutable('ferretdb', goBinDirectories()) !== undefined
  );
}

describe('FerretDB backends', () => {
  it('prefers PostgreSQL when it is reachable: a fresh database per launch, dropped at stop', async (context) => {
    if (!launchesFerretDb()) context.skip();
    if ((await launcherDatabasesOnPostgres()) === undefined) context.skip();
    const lines: string[] = [];
    const database = await launchDevDatabase({ log: (line) => lines.push(line), postgresUrl });
    let during: string[] | undefined;
    try {
      expect(database.backend).toBe('postgresql');
      expect(lines).toEqual([expect.stringMatching(/using ferretdb \(PostgreSQL backend\) at mongodb:/)]);
      const connection = await mongoose.createConnection(database.uri).asPromise();
      await connection.collection<{ _id: string }>('marks').insertOne({ _id: 'a' });
      await expect(
        connection.collection<{ _id: string }>('marks').insertOne({ _id: 'a' }),
      ).rejects.toMatchObject({
        code: 11000,
      });
      await connection.close();
      during = await launcherDatabasesOnPostgres();
    } finally {
      await database.stop();
    }
    const after = await launcherDatabasesOnPostgres();
    const created = (during ?? []).filter((name) => !(after ?? []).includes(name));
    expect(created).toHaveLength(1);
  });

  it('falls back to SQLite when PostgreSQL cannot be reached, and says so', async (context) => {
    if (!launchesFerretDb()) context.skip();
    const lines: string[] = [];
    const unreachable = `postgres://postgres:s3cret@127.0.0.1:${await findFreePort()}/postgres`;
    const database = await launchDevDatabase({ log: (line) => lines.push(line), postgresUrl: unreachable });
    try {
      expect(database.backend).toBe('sqlite');
      expect(lines[0]).toMatch(/PostgreSQL at .* is not usable .*FerretDB uses SQLite/);
      expect(lines.join('\n')).not.toContain('s3cret');
      expect(lines[1]).toMatch(/using ferretdb \(SQLite backend\)/);
      const connection = await mongoose.createConnection(database.uri).asPromise();
      expect(await connection.db!.admin().ping()).toMatchObject({ ok: 1 });
      await connection.close();
    } finally {
      await database.stop();
    }
  });

  it('uses SQLite without looking for PostgreSQL when told so (postgresUrl false)', async (context) => {
    if (!launchesFerretDb()) context.skip();
    const lines: string[] = [];
    const database = await launchDevDatabase({ log: (line) => lines.push(line), postgresUrl: false });
    await database.stop();
    expect(database.backend).toBe('sqlite');
    expect(lines).toEqual([expect.stringMatching(/using ferretdb \(SQLite backend\)/)]);
  });
});

describe('development database launcher', () => {
  it('serves mongoose, which sees unique indexes enforced with duplicate-key error 11000', async () => {
    const connection = await connectFreshDatabase('launcher');
    const Thing = connection.model('Thing', new Schema({ key: { type: String, unique: true } }));
    await Thing.init();
    await Thing.create({ key: 'a' });
    await expect(Thing.create({ key: 'a' })).rejects.toMatchObject({ code: 11000 });
    expect(await Thing.countDocuments()).toBe(1);
  });

  it('gives two launchers in one process separate databases, and removes the server on stop', async () => {
    const launched: DevDatabase[] = [];
    try {
      launched.push(await launchDevDatabase({ log: false }));
      launched.push(await launchDevDatabase({ log: false }));
      const [first, second] = launched as [DevDatabase, DevDatabase];
      expect(first.uri).not.toBe(second.uri);
      const a = await mongoose.createConnection(first.uri).asPromise();
      const b = await mongoose.createConnection(second.uri).asPromise();
      await a.collection('marks').insertOne({ from: 'first' });
      expect(await b.collection('marks').countDocuments()).toBe(0);
      expect(await a.collection('marks').countDocuments()).toBe(1);
      await Promise.all([a.close(), b.close()]);
    } finally {
      for (const database of launched) {
        await database.stop();
        if (database.pid !== undefined) {
          expect(await waitUntil(() => !processIsRunning(database.pid as number))).toBe(true);
        }
      }
    }
  });

  it('starts a FerretDB or mongod server that answers ping', async (context) => {
    if (process.env['MONGODB_URI']) context.skip();
    const database = await launchDevDatabase({ log: false, skip: ['mongodb-memory-server'] });
    try {
      const connection = await mongoose.createConnection(database.uri).asPromise();
      expect(await connection.db!.admin().ping()).toMatchObject({ ok: 1 });
      await connection.close();
    } finally {
      await database.stop();
    }
    expect(['ferretdb', 'mongod']).toContain(database.kind);
  });

  it('keeps data across launches in a dataDirectory (DEV_DATABASE_DIR), and never deletes it', async (context) => {
    if (process.env['MONGODB_URI']) context.skip();
    const dataDirectory = await mkdtemp(join(tmpdir(), 'simple-jwt-persistent-'));
    const launch = () =>
      launchDevDatabase({
        log: false,
        skip: ['mongodb-memory-server'],
        databaseName: 'kept',
        dataDirectory,
      });
    try {
      const first = await launch();
      const a = await mongoose.createConnection(first.uri).asPromise();
      await a.collection('marks').insertOne({ survives: 'a restart' });
      await a.close();
      await first.stop();
      expect(existsSync(dataDirectory)).toBe(true);

      const second = await launch();
      const b = await mongoose.createConnection(second.uri).asPromise();
      expect(await b.collection('marks').findOne({}, { projection: { _id: 0 } })).toEqual({
        survives: 'a restart',
      });
      await b.close();
      await second.stop();
      expect(existsSync(join(dataDirectory, second.kind))).toBe(true);
    } finally {
      await rm(dataDirectory, { recursive: true, force: true });
    }
  });

  it('says what to install when no server is available', async () => {
    const launching = launchDevDatabase({
      log: false,
      mongodbUri: '',
      skip: ['mongod', 'ferretdb', 'mongodb-memory-server'],
    });
    await expect(launching).rejects.toThrow(/MONGODB_URI.*mongod on PATH.*npm run db:install/);
  });

  it('leaves no process or data directory behind when the launching process is killed', async (context) => {
    if (process.env['MONGODB_URI']) context.skip();
    const { spawn } = await import('node:child_process');
    const script = `
      import { launchDevDatabase } from './src/dev-database/index.ts';
      const db = await launchDevDatabase({ log: false, skip: ['mongodb-memory-server'] });
      console.log(JSON.stringify({ pid: db.pid }));
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const firstLine = await new Promise<string>((resolve) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
    });
    const { pid } = JSON.parse(firstLine) as { pid: number };
    const serverPids = await import('node:child_process').then(({ execFileSync }) =>
      execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map(Number),
    );
    const dataDirectory = await import('node:fs').then(({ readFileSync }) =>
      readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .find((entry) => entry.startsWith('WATCHDOG_DATA_DIR='))
        ?.slice('WATCHDOG_DATA_DIR='.length),
    );
    expect(dataDirectory).toBeTruthy();
    expect(existsSync(dataDirectory as string)).toBe(true);
    const postgresDatabase = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((entry) => entry.startsWith('DEV_DATABASE_PG_NAME='))
      ?.slice('DEV_DATABASE_PG_NAME='.length);
    if (postgresDatabase) expect(await launcherDatabasesOnPostgres()).toContain(postgresDatabase);
    child.kill('SIGKILL');
    expect(await waitUntil(() => serverPids.every((serverPid) => !processIsRunning(serverPid)))).toBe(true);
    expect(await waitUntil(() => !processIsRunning(pid))).toBe(true);
    expect(await waitUntil(() => !existsSync(dataDirectory as string))).toBe(true);
    // FerretDB on PostgreSQL: the watchdog dropped the launch's database too.
    if (postgresDatabase) {
      let left: string[] | undefined = [postgresDatabase];
      const deadline = Date.now() + 60_000;
      while (left?.includes(postgresDatabase) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        left = await launcherDatabasesOnPostgres();
      }
      expect(left).not.toContain(postgresDatabase);
    }
  });
});
