import path from 'node:path';
import {
  type BackendOptions,
  invalidOption,
  type ResolvedBackendOptions,
  resolveBackendOptions,
} from '../../core/options.js';

/**
 * What opening does with a database it finds damaged: 'refuse' (the default) rejects with
 * MP_CORRUPT_DATA and leaves every file as it is; 'quarantine' moves the damaged files into backups/
 * (bytes untouched) so that the store can start again, but only when no process has them open.
 */
export type CorruptionPolicy = 'refuse' | 'quarantine';

export interface SqliteStoreOptions extends BackendOptions {
  /**
   * Default 'refuse'. With 'quarantine', opening also runs PRAGMA integrity_check (it reads every page:
   * slow on a big database), and damage it cannot repair is moved to backups/ before opening rejects
   * once with MP_CORRUPT_DATA saying what was lost; opening again works. Meant for a repair run, not for
   * every start of a runtime: openStore never asks for it.
   */
  onCorrupt?: CorruptionPolicy;
}

export const DB_FILE_NAME = 'model-performance.db';

/** The options checked, with defaults filled in and the directory made absolute. */
export interface SqliteSettings extends ResolvedBackendOptions {
  file: string;
  onCorrupt: CorruptionPolicy;
}

export function resolveSettings(options: SqliteStoreOptions): SqliteSettings {
  const common = resolveBackendOptions(options, 'SQLite', 'openSqliteStore');
  const { onCorrupt = 'refuse' } = options;
  if (onCorrupt !== 'refuse' && onCorrupt !== 'quarantine') {
    throw invalidOption('SQLite', 'onCorrupt', "expected 'refuse' or 'quarantine'");
  }
  return { ...common, file: path.join(common.dir, DB_FILE_NAME), onCorrupt };
}
