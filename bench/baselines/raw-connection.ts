import { DatabaseSync } from 'node:sqlite';

/** The busy timeout openStore uses by default (busyTimeoutMs). */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * A hand-opened node:sqlite connection with the PRAGMAs model-perf sets (WAL, synchronous=NORMAL, a
 * busy timeout, foreign keys on), so that a baseline differs from the store only in the code around
 * the SQL, never in what SQLite is asked to guarantee.
 */
export function openRawConnection(file: string): DatabaseSync {
  const db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  return db;
}
