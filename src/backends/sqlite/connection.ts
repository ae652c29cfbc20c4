import path from 'node:path';
import type * as NodeSqlite from 'node:sqlite';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import semver from 'semver';
import { ModelPerfError } from '../../core/errors.js';
import { SNAPSHOT_FILE } from '../../core/snapshot.js';
import type { StoreInfo } from '../../core/types.js';
import type { SqliteSettings } from './options.js';
import { text, type Values } from './rows.js';
import { createSchema, readUserVersion, refuseNewerSchema, SCHEMA_VERSION } from './schema.js';
import { isBusy, lockedError, toStoreError } from './sqlite-errors.js';

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

export interface Connection {
  db: DatabaseSync;
  sqliteVersion: string;
  /** 'wal' unless the file system cannot share memory between processes. */
  journalMode: string;
}

/**
 * The busy timeout each connection hands to SQLite itself. Zero: SQLite's busy handler sleeps inside
 * the synchronous call, which freezes every task of this process for as long as another process holds
 * the lock. A step that finds the database busy returns at once, and waitWhileBusy waits on a timer.
 */
export const CONNECTION_BUSY_TIMEOUT_MS = 0;

/** The first retry comes soon (most transactions of other writers last well under a millisecond)... */
const FIRST_DELAY_MS = 1;
/**
 * ...and later ones no further apart than this. A cap this low keeps a waiter that has waited long
 * polling as often as one that just arrived, so none starves behind newer ones; an attempt costs a
 * few microseconds, so polling this often costs nothing that matters.
 */
const MAX_DELAY_MS = 8;

export interface BusyWaitContext {
  file: string;
  busyTimeoutMs: number;
}

/**
 * Runs a synchronous database step that is safe to repeat when it failed busy (a transaction that rolled
 * back, an open that closed its connection). While another connection holds the lock it needs, waits on
 * a timer (exponential backoff with full jitter, capped), never in SQLite's busy handler, so the event
 * loop keeps running; after busyTimeoutMs it rejects with MP_LOCKED, as a busy timeout would.
 */
export async function waitWhileBusy<T>(step: () => T, context: BusyWaitContext): Promise<T> {
  const deadline = Date.now() + context.busyTimeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const left = deadline - Date.now();
      if (left <= 0) throw lockedError(error, context);
      const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
      // Jitter spreads waiters of several processes apart, so they do not retry in lockstep.
      await sleep(Math.min(left, ceiling / 2 + (Math.random() * ceiling) / 2));
    }
  }
}

/**
 * Runs steps of one store one at a time, in call order: a write that waits for another process's lock
 * keeps the writes called after it behind it (first come, first served within this process), and only
 * the first of them polls.
 */
export class WriteQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(step);
    this.#tail = result.catch(() => undefined);
    return result;
  }
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

/** Runs work as one write transaction: committed whole, or rolled back on any error. */
export function inWriteTransaction<T>(db: DatabaseSync, work: () => T): T {
  // IMMEDIATE takes the write lock before the first read, where waitWhileBusy can wait for it.
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

/**
 * Prepares each SQL text once per connection. The texts are a fixed set (filters only switch conditions
 * on or off; value lists go through json_each), so the cache stays small.
 */
export class StatementCache {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #arrayStatements = new Map<string, StatementSync>();
  readonly #repeated = new Map<string, { token: string; rows: readonly Values[] }>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * All rows as arrays of their values, in column order. node:sqlite returns arrays from Node 22.16 and
   * 24 on (setReturnArrays); on an older Node the objects' values come in the same order.
   */
  valueRows(sql: string, params: readonly SQLInputValue[]): Values[] {
    let statement = this.#arrayStatements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      if (typeof (statement.setReturnArrays as unknown) === 'function') statement.setReturnArrays(true);
      this.#arrayStatements.set(sql, statement);
    }
    const rows: unknown[] = statement.all(...params);
    return rows.map((row) => (Array.isArray(row) ? (row as Values) : Object.values(row as object)));
  }

  /**
   * valueRows for a read that is asked again and again (the stats of a task, before every dispatch),
   * answered from memory while nothing changed the database since it was read: `data_version` moves
   * when another connection, in any process, commits; `total_changes()` when this one writes. Checking
   * both costs two tiny statements (about 5 µs), instead of reading and converting every row again. The
   * rows are shared between the calls: callers only read them.
   */
  repeatedValueRows(sql: string, params: readonly SQLInputValue[]): readonly Values[] {
    const [version] = this.valueRows('PRAGMA data_version', []);
    const [changes] = this.valueRows('SELECT total_changes()', []);
    const token = `${String(version?.[0])}:${String(changes?.[0])}`;
    const key = `${sql}\u0000${JSON.stringify(params)}`;
    const cached = this.#repeated.get(key);
    if (cached?.token === token) return cached.rows;
    const rows = this.valueRows(sql, params);
    if (this.#repeated.size >= MAX_REPEATED_READS) this.#repeated.clear();
    this.#repeated.set(key, { token, rows });
    return rows;
  }
}

/** Distinct reads kept: one per task type and filter a runtime asks about; past it they start over. */
const MAX_REPEATED_READS = 256;

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
