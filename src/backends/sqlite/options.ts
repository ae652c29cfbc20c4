import path from 'node:path';
import {
  type BackendOptions,
  DEFAULT_BUSY_TIMEOUT_MS,
  type Durability,
  type Selection,
} from '../../core/backend-options.js';
import { ModelPerfError } from '../../core/errors.js';

// An interface rather than an alias, so that SQLite-only options can join it later.
export interface SqliteStoreOptions extends BackendOptions {}

export const DB_FILE_NAME = 'model-performance.db';

/** node:sqlite passes the timeout to sqlite3_busy_timeout, which takes a C int. */
const MAX_BUSY_TIMEOUT_MS = 2 ** 31 - 1;

/** The options checked, with defaults filled in and the directory made absolute. */
export interface SqliteSettings {
  dir: string;
  file: string;
  durability: Durability;
  busyTimeoutMs: number;
  selection: Selection;
}

function invalid(field: string, problem: string): ModelPerfError {
  return new ModelPerfError('MP_CONFIG', `Invalid SQLite store option ${field}: ${problem}`, { field });
}

export function resolveSettings(options: SqliteStoreOptions): SqliteSettings {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('openSqliteStore expects an options object with at least { dir }');
  }
  const { dir, durability = 'normal', busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS, selection } = options;
  if (typeof dir !== 'string' || dir.trim().length === 0) throw invalid('dir', 'expected a directory path');
  if (durability !== 'normal' && durability !== 'full') throw invalid('durability', "expected 'normal' or 'full'");
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0 || busyTimeoutMs > MAX_BUSY_TIMEOUT_MS) {
    throw invalid('busyTimeoutMs', `expected whole milliseconds from 0 to ${MAX_BUSY_TIMEOUT_MS}`);
  }
  const absoluteDir = path.resolve(dir);
  return {
    dir: absoluteDir,
    file: path.join(absoluteDir, DB_FILE_NAME),
    durability,
    busyTimeoutMs,
    selection: selection ?? { reason: 'SQLite: opened directly', degraded: false, warnings: [] },
  };
}
