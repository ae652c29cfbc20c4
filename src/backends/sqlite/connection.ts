import type { DatabaseSync } from 'node:sqlite';
import type { SqliteModule } from '../../core/load-sqlite.js';
import { CONNECTION_BUSY_TIMEOUT_MS } from './busy-wait.js';
import type { SqliteSettings } from './options.js';
import { text } from './rows.js';
import { createSchema, readUserVersion, refuseNewerSchema } from './schema.js';
import { isBusy, toStoreError } from './sqlite-errors.js';

export interface Connection {
  db: DatabaseSync;
  sqliteVersion: string;
  /** 'wal' unless the file system cannot share memory between processes. */
  journalMode: string;
}

/**
 * Opens the database, refusing before any write one that is not ours to change (not SQLite, or a newer
 * schema), then sets the per-connection PRAGMAs and creates the schema when missing.
 */
export function openConnection(sqlite: SqliteModule, settings: SqliteSettings): Connection {
  let db: DatabaseSync | undefined;
  try {
    db = new sqlite.DatabaseSync(settings.file, {
      timeout: CONNECTION_BUSY_TIMEOUT_MS,
      enableForeignKeyConstraints: true,
    });
    // SQLite opens files lazily: this first read is what fails on a file that is not a database.
    const version = readUserVersion(db);
    refuseNewerSchema(version, settings.file);
    const journalMode = text(db.prepare('PRAGMA journal_mode = WAL').get() ?? {}, 'journal_mode');
    db.exec(`PRAGMA synchronous = ${settings.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    // Taken on every open, not only a new one: the schema check runs under the write lock, which proves
    // that this process can write here within the busy timeout. A database locked by another process for
    // longer, or one it may not write, makes SQLite unavailable at open (so openStore can fall back to
    // JSON) rather than failing the runtime's first record().
    createSchema(db, settings.file);
    const sqliteVersion = text(db.prepare('SELECT sqlite_version() AS version').get() ?? {}, 'version');
    return { db, sqliteVersion, journalMode };
  } catch (error) {
    db?.close();
    throw isBusy(error) ? error : toStoreError(error, settings);
  }
}
