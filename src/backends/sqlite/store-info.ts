import path from 'node:path';
import semver from 'semver';
import { SNAPSHOT_FILE } from '../../core/snapshot.js';
import type { StoreInfo } from '../../core/types.js';
import type { Connection } from './connection.js';
import type { SqliteSettings } from './options.js';
import { SCHEMA_VERSION } from './schema.js';

/** The first SQLite release with the fix for the WAL-reset bug (https://sqlite.org/wal.html#walresetbug). */
const WAL_RESET_FIX = '3.51.3';

/** What the caller should know about this SQLite before trusting it with data. */
export function connectionWarnings(
  { sqliteVersion, journalMode }: Pick<Connection, 'sqliteVersion' | 'journalMode'>,
  file: string,
): string[] {
  const warnings: string[] = [];
  const version = semver.coerce(sqliteVersion);
  if (version === null || semver.lt(version, WAL_RESET_FIX)) {
    warnings.push(
      `SQLite ${sqliteVersion} is older than ${WAL_RESET_FIX}: its WAL-reset bug can corrupt a database ` +
        'written by several connections at once. Upgrade Node (24.15 or later bundles a fixed SQLite).',
    );
  }
  if (journalMode !== 'wal') {
    warnings.push(
      `SQLite could not put ${file} in WAL mode (it is in ${journalMode} mode): ` +
        'readers and writers will block each other. Is the directory on a network file system?',
    );
  }
  return warnings;
}

export function describeStore(settings: SqliteSettings, connection: Connection): StoreInfo {
  const { dir, file, selection } = settings;
  return {
    backend: 'sqlite',
    degraded: selection.degraded,
    reason: selection.reason,
    dir,
    files: [file, `${file}-wal`, `${file}-shm`, path.join(dir, SNAPSHOT_FILE)],
    schemaVersion: SCHEMA_VERSION,
    nodeVersion: process.versions.node,
    sqliteVersion: connection.sqliteVersion,
    warnings: [...selection.warnings, ...connectionWarnings(connection, file)],
  };
}
