import { execFile } from 'node:child_process';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlushExpiredTokens } from '../../src/bin/flush-expired-tokens.js';
import { findFreePort } from '../../src/dev-database/free-port.js';
import { createMongoTokenStore } from '../../src/store/mongo-token-store.js';
import type { OutstandingTokenRecord } from '../../src/store/token-store.js';
import { documentsOf, tokenRecord } from '../store/store-fixtures.js';
import { freshDatabaseUri } from '../support/database.js';

const hour = 60 * 60 * 1000;
const connections: Connection[] = [];

afterAll(async () => {
  for (const connection of connections) {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
});

/** A fresh database with 3 outstanding tokens (1 expired) and 2 blacklisted (1 expired). */
async function seededDatabase(collections: { outstanding?: string; blacklisted?: string } = {}) {
  const uri = freshDatabaseUri('cmd');
  const connection = await mongoose.createConnection(uri).asPromise();
  connections.push(connection);
  const store = createMongoTokenStore(connection, {
    outstandingCollection: collections.outstanding,
    blacklistedCollection: collections.blacklisted,
  });
  const at = (offset: number): OutstandingTokenRecord =>
    tokenRecord({ createdAt: new Date(Date.now() + offset - 24 * hour) });
  const expired = at(-hour);
  const live = [at(hour), at(2 * hour)];
  await store.blacklist(expired);
  await store.blacklist(live[0]!);
  await store.recordOutstanding(live[1]!);
  const remaining = async (collection: string) =>
    (await documentsOf(connection, collection)).map((document) => document['_id']).sort();
  return { uri, live: live.map((record) => record.jti), blacklistedLive: live[0]!.jti, remaining };
}

function captureOutput() {
  const output = { logs: [] as string[], errors: [] as string[] };
  return {
    output,
    sink: {
      log: (line: string) => output.logs.push(line),
      error: (line: string) => output.errors.push(line),
    },
  };
}

async function unreachableUri(): Promise<string> {
  return `mongodb://flush:s3cret-pw@127.0.0.1:${await findFreePort()}/none`;
}

describe('runFlushExpiredTokens (in-process)', () => {
  it('flushes expired records and prints the counts', async () => {
    const database = await seededDatabase();
    const { output, sink } = captureOutput();
    expect(await runFlushExpiredTokens([], { MONGODB_URI: database.uri }, sink)).toBe(0);
    expect(output.logs).toEqual(['Flushed 1 outstanding and 1 blacklisted expired tokens.']);
    expect(output.errors).toEqual([]);
    expect(await database.remaining('outstanding_tokens')).toEqual([...database.live].sort());
    expect(await database.remaining('blacklisted_tokens')).toEqual([database.blacklistedLive]);
  });

  it('uses the collections named in the environment', async () => {
    const database = await seededDatabase({ outstanding: 'jwt_outstanding', blacklisted: 'jwt_blacklisted' });
    const { output, sink } = captureOutput();
    const env = {
      MONGODB_URI: database.uri,
      SIMPLE_JWT_OUTSTANDING_COLLECTION: 'jwt_outstanding',
      SIMPLE_JWT_BLACKLISTED_COLLECTION: 'jwt_blacklisted',
    };
    expect(await runFlushExpiredTokens([], env, sink)).toBe(0);
    expect(output.logs).toEqual(['Flushed 1 outstanding and 1 blacklisted expired tokens.']);
    expect(await database.remaining('jwt_outstanding')).toEqual([...database.live].sort());
  });

  it('flushes dead token families from the collection named by SIMPLE_JWT_FAMILY_COLLECTION', async () => {
    const database = await seededDatabase();
    const connection = await mongoose.createConnection(database.uri).asPromise();
    connections.push(connection);
    const family = (id: string, expiresIn: number) => ({
      _id: id,
      user: '42',
      createdAt: new Date(Date.now() - 2 * hour),
      lastUsedAt: new Date(Date.now() - 2 * hour),
      userAgent: null,
      revokedAt: null,
      revokedReason: null,
      expiresAt: new Date(Date.now() + expiresIn),
    });
    await connection
      .collection<{ _id: string }>('jwt_families')
      .insertMany([family('dead', -hour), family('live', hour)]);
    const { sink } = captureOutput();
    const env = { MONGODB_URI: database.uri, SIMPLE_JWT_FAMILY_COLLECTION: 'jwt_families' };
    expect(await runFlushExpiredTokens([], env, sink)).toBe(0);
    expect(await database.remaining('jwt_families')).toEqual(['live']);
  });

  it('flushes a large collection in range deletes of --batch-size records, printing progress after each', async () => {
    const database = await seededDatabase();
    const connection = await mongoose.createConnection(database.uri).asPromise();
    connections.push(connection);
    const store = createMongoTokenStore(connection);
    // Five more expired outstanding records, two of them expiring at the same instant.
    const expiredAt = (hours: number) => new Date(Date.now() - hours * hour);
    for (const hours of [5, 4, 4, 3, 2]) {
      await store.recordOutstanding(
        tokenRecord({ createdAt: expiredAt(hours + 24), expiresAt: expiredAt(hours) }),
      );
    }
    const { output, sink } = captureOutput();
    expect(await runFlushExpiredTokens(['--batch-size=2'], { MONGODB_URI: database.uri }, sink)).toBe(0);
    expect(output.logs).toEqual([
      '  outstanding: 2 deleted so far',
      '  outstanding: 4 deleted so far',
      '  outstanding: 6 deleted so far',
      'Flushed 6 outstanding and 1 blacklisted expired tokens.',
    ]);
    expect(await database.remaining('outstanding_tokens')).toEqual([...database.live].sort());
  });

  it('prints the usage for --help without touching a database', async () => {
    const { output, sink } = captureOutput();
    expect(await runFlushExpiredTokens(['--help'], {}, sink)).toBe(0);
    expect(output.logs.join('\n')).toMatch(/^Usage: flush-expired-tokens/);
    expect(output.logs.join('\n')).toContain('MONGODB_URI');
  });

  it.each([
    [[], {}, /MONGODB_URI is not set/],
    [['--force'], { MONGODB_URI: 'mongodb://127.0.0.1:1/x' }, /Unknown option '--force'/],
    [[], { MONGODB_URI: 'http://example.com' }, /flush-expired-tokens: .*(scheme|mongodb)/i],
    [
      [],
      { MONGODB_URI: 'mongodb://127.0.0.1:1/x', SIMPLE_JWT_OUTSTANDING_COLLECTION: 'a$b' },
      /'outstandingCollection'/,
    ],
    [['--batch-size=0'], { MONGODB_URI: 'mongodb://127.0.0.1:1/x' }, /'flushBatchSize'/],
    [['--batch-size=many'], { MONGODB_URI: 'mongodb://127.0.0.1:1/x' }, /'flushBatchSize'/],
  ])('exits 2 for argv %o and env %o', async (argv, env, message) => {
    const { output, sink } = captureOutput();
    expect(await runFlushExpiredTokens(argv, env, sink)).toBe(2);
    expect(output.errors).toHaveLength(1);
    expect(output.errors[0]).toMatch(message);
    expect(output.logs).toEqual([]);
  });

  it('exits 1 with one line and no password when the database cannot be reached', async () => {
    const { output, sink } = captureOutput();
    expect(await runFlushExpiredTokens([], { MONGODB_URI: await unreachableUri() }, sink)).toBe(1);
    expect(output.errors).toHaveLength(1);
    expect(output.errors[0]).toMatch(/^flush-expired-tokens: the database failed: .+/);
    expect(output.errors[0]).not.toContain('\n');
    expect(output.errors[0]).not.toContain('s3cret-pw');
  });
});

interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real command in a child process, with only the given environment (plus PATH). The kill timeout
 * is a hang guard under the test's own: on a busy machine tsx alone can take seconds to start.
 */
function runCommand(args: string[], env: Record<string, string>): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/bin/flush-expired-tokens.ts', ...args],
      { cwd: process.cwd(), env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 45_000 },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr }),
    );
  });
}

describe('the flush-expired-tokens command (child process)', () => {
  let database: Awaited<ReturnType<typeof seededDatabase>>;
  beforeAll(async () => {
    database = await seededDatabase();
  });

  it('flushes, prints the counts and exits 0', async () => {
    const result = await runCommand([], { MONGODB_URI: database.uri });
    expect(result).toEqual({
      code: 0,
      stdout: 'Flushed 1 outstanding and 1 blacklisted expired tokens.\n',
      stderr: '',
    });
    expect(await database.remaining('outstanding_tokens')).toEqual([...database.live].sort());
  });

  it('exits 2 with a message when MONGODB_URI is missing', async () => {
    const result = await runCommand([], {});
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^flush-expired-tokens: MONGODB_URI is not set.*\n$/);
  });

  it('exits 1 with one line on stderr and no stack trace when the database is unreachable', async () => {
    const result = await runCommand([], { MONGODB_URI: await unreachableUri() });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^flush-expired-tokens: the database failed: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the usage for --help', async () => {
    const result = await runCommand(['--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: flush-expired-tokens \[--batch-size=N\] \[--help\]/);
  });
});
