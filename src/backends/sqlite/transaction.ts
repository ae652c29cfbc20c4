import type { DatabaseSync } from 'node:sqlite';

/** Runs work as one write transaction: committed whole, or rolled back on any error. */
export function inWriteTransaction<T>(db: DatabaseSync, work: () => T): T {
  // IMMEDIATE takes the write lock before the first read, where the busy timeout can wait for it.
  // A deferred transaction that read first cannot upgrade to a writer in WAL once another connection
  // has committed (SQLITE_BUSY_SNAPSHOT), and no timeout resolves that.
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    rollback(db);
    throw error;
  }
}

function rollback(db: DatabaseSync): void {
  try {
    db.exec('ROLLBACK');
  } catch {
    // SQLite already rolled back by itself (it does on SQLITE_FULL, SQLITE_IOERR and others); the
    // error that got us here is the one worth reporting.
  }
}
