import path from 'node:path';
import {
  type BackendOptions,
  DEFAULT_BUSY_TIMEOUT_MS,
  type Durability,
  type Selection,
} from '../../core/backend-options.js';
import { ModelPerfError } from '../../core/errors.js';
import { type Logger, stderrLogger } from '../../core/logger.js';

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

/** node:sqlite passes the timeout to sqlite3_busy_timeout, which takes a C int. */
const MAX_BUSY_TIMEOUT_MS = 2 ** 31 - 1;

/** The options checked, with defaults filled in and the directory made absolute. */
export interface SqliteSettings {
  dir: string;
  file: string;
  durability: Durability;
  busyTimeoutMs: number;
  /** Where the store reports what it does on its own, such as a snapshot it could not write. */
  logger: Logger;
  selection: Selection;
  onCorrupt: CorruptionPolicy;
}

function invalid(field: string, problem: string): ModelPerfError {
  return new ModelPerfError('MP_CONFIG', `Invalid SQLite store option ${field}: ${problem}`, { field });
}

export function resolveSettings(options: SqliteStoreOptions): SqliteSettings {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('openSqliteStore expects an options object with at least { dir }');
  }
  const {
    dir,
    durability = 'normal',
    busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
    logger,
    selection,
    onCorrupt = 'refuse',
  } = options;
  if (typeof dir !== 'string' || dir.trim().length === 0) throw invalid('dir', 'expected a directory path');
  if (durability !== 'normal' && durability !== 'full') throw invalid('durability', "expected 'normal' or 'full'");
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0 || busyTimeoutMs > MAX_BUSY_TIMEOUT_MS) {
    throw invalid('busyTimeoutMs', `expected whole milliseconds from 0 to ${MAX_BUSY_TIMEOUT_MS}`);
  }
  if (onCorrupt !== 'refuse' && onCorrupt !== 'quarantine') {
    throw invalid('onCorrupt', "expected 'refuse' or 'quarantine'");
  }
  const absoluteDir = path.resolve(dir);
  return {
    dir: absoluteDir,
    file: path.join(absoluteDir, DB_FILE_NAME),
    durability,
    busyTimeoutMs,
    logger: logger ?? stderrLogger,
    selection: selection ?? { reason: 'SQLite: opened directly', degraded: false, warnings: [] },
    onCorrupt,
  };
}
