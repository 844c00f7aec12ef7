import { randomBytes } from 'node:crypto';
import { type AddressInfo, connect as connectTcp, createServer, type Socket } from 'node:net';
import type { Connection } from 'mongoose';
import type { OutstandingTokenRecord } from '../../src/store/token-store.js';

/** A fresh jti in Simple JWT's format (32 lowercase hex characters). */
export function newJti(): string {
  return randomBytes(16).toString('hex');
}

const day = 24 * 60 * 60 * 1000;

/** A refresh-token record created at `createdAt` and valid for one day, unless overridden. */
export function tokenRecord(overrides: Partial<OutstandingTokenRecord> = {}): OutstandingTokenRecord {
  const createdAt = overrides.createdAt ?? new Date('2030-01-01T00:00:00Z');
  return {
    jti: newJti(),
    userId: '42',
    tokenType: 'refresh',
    createdAt,
    expiresAt: new Date(createdAt.getTime() + day),
    ...overrides,
  };
}

/** The raw documents of a collection, read with the driver (not through the store under test). */
export function documentsOf(connection: Connection, collection: string): Promise<Record<string, unknown>[]> {
  return connection.collection(collection).find({}).sort({ _id: 1 }).toArray();
}

/** True when the server is FerretDB (its `buildInfo` names its own version). */
export async function isFerretDb(connection: Connection): Promise<boolean> {
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  return typeof info['ferretdbVersion'] === 'string';
}

/**
 * A TCP relay in front of the real database. `freeze()` makes it swallow every byte in both
 * directions while keeping the sockets open: a server that stopped answering (a hung host, a
 * network partition) — the case where only a client-side deadline ends the wait.
 */
export interface FreezableRelay {
  readonly uri: string;
  freeze(): void;
  close(): Promise<void>;
}

export async function startFreezableRelay(targetUri: string): Promise<FreezableRelay> {
  const target = new URL(targetUri);
  const sockets = new Set<Socket>();
  let frozen = false;
  const relay = (from: Socket, to: Socket) => {
    sockets.add(from);
    from.on('data', (chunk) => {
      if (!frozen) to.write(chunk);
    });
    from.on('error', () => undefined);
    from.on('close', () => {
      sockets.delete(from);
      to.destroy();
    });
  };
  const server = createServer((client) => {
    const upstream = connectTcp(Number(target.port), target.hostname);
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const uri = new URL(targetUri);
  uri.host = `127.0.0.1:${port}`;
  return {
    uri: uri.toString(),
    freeze: () => {
      frozen = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The rejection of `run()`, or `undefined` when it resolved. */
export async function rejectionOf(run: () => Promise<unknown>): Promise<{ error: unknown }> {
  try {
    await run();
    return { error: undefined };
  } catch (error) {
    return { error };
  }
}
