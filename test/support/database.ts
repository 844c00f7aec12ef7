import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, inject } from 'vitest';

/** The launched server's URI with a fresh database name, so test files never see each other's data. */
export function freshDatabaseUri(prefix = 't'): string {
  const url = new URL(inject('mongoUri'));
  url.pathname = `/${prefix}_${randomBytes(5).toString('hex')}`;
  return url.toString();
}

/** A mongoose connection to a fresh database, dropped and closed after the file's tests. */
export async function connectFreshDatabase(prefix?: string): Promise<Connection> {
  const connection = await mongoose.createConnection(freshDatabaseUri(prefix)).asPromise();
  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });
  return connection;
}
