import type { BenchEnvironment } from '../lib/environment.js';

/** Which database a section measured, and what it does for the store's queries. */
export interface BackendLabel {
  /** E.g. `FerretDB/PostgreSQL`. */
  readonly short: string;
  /** With the server version and how it answers `_id` lookups and range filters. */
  readonly long: string;
}

/**
 * Names the backend and what it does. FerretDB v1 (its `explain`): an `_id` equality is pushed down
 * to the backend, which still scans the table (PostgreSQL: a sequential scan with a jsonb containment
 * filter; SQLite: SCAN), so a lookup grows with the collection, but at the backend's speed; a range
 * (the expiry cutoff of flushing) or a sort is not pushed down: FerretDB reads and decodes every
 * document. MongoDB answers all of them from its indexes.
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
        `FerretDB ${ferret} on ${backend}: an \`_id\` lookup is a scan in ${backend} (no index), ` +
        'the expiry ranges of flushing a scan and sort of every document in FerretDB',
    };
  }
  return {
    short: `MongoDB ${String(info['version'])}`,
    long: `MongoDB ${String(info['version'])} (\`${database.kind}\`; every store query on an index)`,
  };
}
