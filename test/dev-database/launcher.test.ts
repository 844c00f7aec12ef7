import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Schema } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { type DevDatabase, launchDevDatabase } from '../../src/dev-database/index.js';
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
    child.kill('SIGKILL');
    expect(await waitUntil(() => serverPids.every((serverPid) => !processIsRunning(serverPid)))).toBe(true);
    expect(await waitUntil(() => !processIsRunning(pid))).toBe(true);
    expect(await waitUntil(() => !existsSync(dataDirectory as string))).toBe(true);
  });
});
