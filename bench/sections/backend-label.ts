import type { BenchEnvironment } from '../lib/environment.js';

/** Which database a section measured, and what it does for the store's queries. */
export interface BackendLabel {
  /** E.g. `FerretDB/PostgreSQL`. */
  readonly short: string;
  /** With the server version and how it answers `_id` lookups and range filters. */
  readonly long: string;
}

/**
 * Names the backend and what it does: FerretDB v1 pushes `_id` equality down to its backend (an
 * index) and evaluates every other filter (the expiry range of flushing, the user of
 * blacklistAllForUser) by scanning the collection in Go; MongoDB uses its indexes for all of them.
 */
export async function describeBackend(environment: BenchEnvironment): Promise<BackendLabel> {
  const { database, connection } = environment;
  const info = (await connection.db!.admin().command({ buildInfo: 1 })) as Record<string, unknown>;
  const ferret = typeof info['ferretdbVersion'] === 'string' ? String(info['ferretdbVersion']) : undefined;
  if (ferret) {
    const backend = database.backend === 'postgresql' ? 'PostgreSQL' : 'SQLite';
    return {
      short: `FerretDB/${backend}`,
      long:
        `FerretDB ${ferret} on ${backend} (\`_id\` lookups pushed down to ${backend}'s primary key: an index; ` +
        'other filters, such as the expiry range of flushing, scanned in FerretDB)',
    };
  }
  return {
    short: `MongoDB ${String(info['version'])}`,
    long: `MongoDB ${String(info['version'])} (\`${database.kind}\`; every store query on an index)`,
  };
}
