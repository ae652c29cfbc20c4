import type * as NodeSqlite from 'node:sqlite';
import { ModelPerfError } from '../../core/errors.js';

export type SqliteModule = typeof NodeSqlite;

/**
 * Loads node:sqlite on first use rather than with a static import, so that importing model-perf on a
 * Node without it (20, early 22) never fails, and Node 24.0-24.14 print their ExperimentalWarning only
 * when SQLite is really chosen.
 */
export function loadSqlite(): SqliteModule {
  const node = process.versions.node;
  // Both are absent on old Node although the types say otherwise: getBuiltinModule before 20.16/22.3,
  // node:sqlite before 22.5 (and behind --experimental-sqlite until 22.13).
  const sqlite =
    typeof (process.getBuiltinModule as unknown) === 'function'
      ? (process.getBuiltinModule('node:sqlite') as SqliteModule | undefined)
      : undefined;
  if (sqlite === undefined) {
    throw new ModelPerfError(
      'MP_BACKEND_UNAVAILABLE',
      `The SQLite backend needs the built-in node:sqlite module, which Node ${node} does not provide. ` +
        'Run on Node >= 22.13 (24 or later recommended), or use the JSON backend.',
    );
  }
  return sqlite;
}
