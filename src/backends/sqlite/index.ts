import type { SqliteStoreOptions } from './options.js';
import { SqliteStore } from './sqlite-store.js';

export type { CorruptionPolicy, SqliteStoreOptions } from './options.js';
export { SqliteStore } from './sqlite-store.js';

/**
 * Opens the SQLite store in options.dir (created when missing), in `<dir>/model-performance.db`.
 * Rejects with MP_BACKEND_UNAVAILABLE when this Node has no node:sqlite or the file has a newer schema,
 * MP_CORRUPT_DATA when the file is not a database or its WAL lost committed transactions (every file is
 * left as it is, unless `onCorrupt: 'quarantine'`), MP_IO or MP_LOCKED when it cannot be opened.
 */
export function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  return SqliteStore.open(options);
}
