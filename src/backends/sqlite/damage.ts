import { readdirSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { quarantine } from '../../core/durable-files.js';
import { describeError, isModelPerfError, ModelPerfError } from '../../core/errors.js';
import { CONNECTION_BUSY_TIMEOUT_MS, type SqliteModule, waitWhileBusy } from './connection.js';
import type { SqliteSettings } from './options.js';
import { text } from './rows.js';
import { toStoreError } from './sqlite-errors.js';
import { findWalDamage, type WalDamage } from './wal-check.js';

/**
 * Runs before the store's own connection opens, for damage SQLite would not report (a WAL whose bad
 * frame recovery would silently drop with everything committed after it) or would report only when a
 * damaged page is read. By default it rejects with MP_CORRUPT_DATA and changes nothing, so that
 * openStore runs on JSON meanwhile and the files stay for a repair. With onCorrupt 'quarantine' it sets
 * the damage aside (backups/, bytes untouched) and returns the error to report once the store has been
 * opened on what is left: opening it is what makes SQLite drop the bad frames or create a new database.
 */
export async function checkBeforeOpen(
  sqlite: SqliteModule,
  settings: SqliteSettings,
): Promise<ModelPerfError | undefined> {
  const { file } = settings;
  // While a connection of this process is open no recovery can run, so no frame is dropped; and reading
  // the -shm here would drop that connection's locks.
  const walDamage = isOpenInThisProcess(file) ? undefined : findWalDamage(file);
  if (walDamage !== undefined && settings.onCorrupt !== 'quarantine') {
    throw corrupt(
      `${describeWalDamage(walDamage)} Nothing was changed. Open it with onCorrupt: 'quarantine' to keep a copy of ` +
        'the WAL in backups/ and go on from the last intact transaction, or restore the files from a backup.',
      file,
    );
  }
  if (settings.onCorrupt !== 'quarantine') return undefined;
  if (walDamage !== undefined) {
    assertUnused(file, 'its WAL');
    const backup = await guarded(() => quarantineDatabase(file, 'damaged-wal', 'copy'), file);
    return corrupt(
      `${describeWalDamage(walDamage)} A copy of the WAL and its index was kept in ${backup}; the store goes on ` +
        'from the last intact transaction. Opening it again works.',
      file,
    );
  }
  const problems = await findPageDamage(sqlite, settings);
  if (problems.length === 0) return undefined;
  assertUnused(file, 'it');
  const backup = await guarded(() => quarantineDatabase(file, 'corrupt', 'move'), file);
  return corrupt(
    `${file} is damaged (${problems.slice(0, 3).join('; ')}). It was moved with its WAL to ${backup}, bytes ` +
      'untouched, and a new empty database starts in its place: the outcomes it held no longer count. Restore ' +
      'what you can from the backup. Opening it again works.',
    file,
  );
}

function describeWalDamage({ wal, frame, committed, backfilled }: WalDamage): string {
  const firstLost = Math.max(frame, backfilled + 1);
  return (
    `${wal} is damaged at frame ${frame} of the ${committed} committed frames its index lists: SQLite would ` +
    `silently drop the transactions committed in frames ${firstLost} to ${committed}.`
  );
}

/** What PRAGMA integrity_check says, through a read-only connection (it never checkpoints on close). */
async function findPageDamage(sqlite: SqliteModule, settings: SqliteSettings): Promise<string[]> {
  const { file } = settings;
  const stats = await stat(file).catch(() => undefined);
  if (stats === undefined || stats.size === 0) return [];
  try {
    return await waitWhileBusy(() => {
      const db = new sqlite.DatabaseSync(file, { readOnly: true, timeout: CONNECTION_BUSY_TIMEOUT_MS });
      try {
        return integrityProblems(db, file);
      } finally {
        db.close();
      }
    }, settings);
  } catch (error) {
    const typed = toStoreError(error, settings);
    // Not a database at all, or too damaged to check: that is the finding.
    if (isModelPerfError(typed, 'MP_CORRUPT_DATA')) return [describeError(error)];
    throw typed;
  }
}

/**
 * Moving a database another connection has open would split it in two: that connection would go on
 * writing into the moved file. So nothing moves unless /proc shows no process holding any of its files.
 */
function assertUnused(file: string, what: string): void {
  const users = processesUsing([file, `${file}-wal`, `${file}-shm`]);
  if (users === undefined) {
    throw corrupt(
      `${file} is damaged, and on ${process.platform} model-perf cannot tell whether another process has it ` +
        `open, so ${what} was not moved. Stop every process that uses it, then move the database and its ` +
        '-wal and -shm files into backups/ by hand.',
      file,
    );
  }
  if (users.length > 0) {
    throw corrupt(
      `${file} is damaged, but process(es) ${users.join(', ')} have it open, so ${what} was not moved. Stop ` +
        'them, then open it again.',
      file,
    );
  }
}

async function guarded<T>(step: () => Promise<T>, file: string): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new ModelPerfError(
      'MP_IO',
      `Could not set the damaged ${file} aside in backups/: ${describeError(error)}. Check the free space and ` +
        'the permissions of the store dir.',
      { cause: error, file },
    );
  }
}

function corrupt(message: string, file: string): ModelPerfError {
  return new ModelPerfError('MP_CORRUPT_DATA', message, { file });
}

/**
 * The database's files in the order they are moved: the WAL first, so that a crash between two moves
 * never leaves an old WAL next to a new database (SQLite would replay its frames into it). They go into
 * one backups/ directory under their own names, so that they open together as they were and restoring
 * them is moving them back. The caller has made sure that no process has them open.
 */
function quarantineDatabase(file: string, label: string, mode: 'move' | 'copy'): Promise<string> {
  const files = ['-wal', '-shm', ''].map((suffix) => `${file}${suffix}`);
  return quarantine(files, path.basename(file), label, mode);
}

/**
 * The database files this process has open through a SqliteStore, with how many connections each. A
 * check that reads the -shm or the -wal with `fs` must know it: closing any file descriptor of a file
 * drops every POSIX lock this process holds on it, including those of its own SQLite connections.
 * Kept on globalThis under a registered symbol, so that the ESM and the CommonJS builds loaded in one
 * process (each with its own copy of this module) share one registry.
 */
const OPEN_FILES = Symbol.for('model-perf.sqlite.open-files');

function openFiles(): Map<string, number> {
  const holder = globalThis as typeof globalThis & { [OPEN_FILES]?: Map<string, number> };
  holder[OPEN_FILES] ??= new Map();
  return holder[OPEN_FILES];
}

export function noteOpened(file: string): void {
  const connections = openFiles();
  connections.set(file, (connections.get(file) ?? 0) + 1);
}

export function noteClosed(file: string): void {
  const connections = openFiles();
  const count = (connections.get(file) ?? 0) - 1;
  if (count > 0) connections.set(file, count);
  else connections.delete(file);
}

export function isOpenInThisProcess(file: string): boolean {
  return openFiles().has(file);
}

/**
 * The processes that hold any of these files open, read from /proc: every process this user may see,
 * this one included. Undefined where /proc does not exist (not Linux): then nobody can tell, and the
 * caller must not move the files. A stat through /proc/<pid>/fd/<n> follows the link to the file
 * without opening it, so it touches no lock.
 */
export function processesUsing(files: readonly string[]): number[] | undefined {
  if (process.platform !== 'linux') return undefined;
  const targets = new Set<string>();
  for (const file of files) {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (stats !== undefined) targets.add(`${stats.dev}:${stats.ino}`);
  }
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const users: number[] = [];
  for (const pid of pids) {
    if (holdsAny(pid, targets)) users.push(Number(pid));
  }
  return users;
}

function holdsAny(pid: string, targets: ReadonlySet<string>): boolean {
  let descriptors: string[];
  try {
    descriptors = readdirSync(`/proc/${pid}/fd`);
  } catch {
    // Exited meanwhile, or another user's process: this user could not see its files anyway.
    return false;
  }
  for (const descriptor of descriptors) {
    try {
      const stats = statSync(`/proc/${pid}/fd/${descriptor}`, { throwIfNoEntry: false });
      if (stats !== undefined && targets.has(`${stats.dev}:${stats.ino}`)) return true;
    } catch {
      // Closed meanwhile, or a descriptor this user may not follow.
    }
  }
  return false;
}

/** SQLite stops listing problems past this many; the first ones say enough to act. */
const MAX_LISTED = 20;

/**
 * SQLite's own checks of the database, as sentences naming the file; none when it is sound.
 * integrity_check reads every page (b-trees, indexes against their tables, free list, STRICT types);
 * foreign_key_check finds outcomes and baselines whose stats row is missing.
 */
export function integrityProblems(db: DatabaseSync, file: string): string[] {
  const problems: string[] = [];
  for (const row of db.prepare(`PRAGMA integrity_check(${MAX_LISTED})`).all()) {
    const message = text(row, 'integrity_check');
    if (message !== 'ok') problems.push(`${file}: ${message}`);
  }
  for (const row of db.prepare('PRAGMA foreign_key_check').all()) {
    problems.push(
      `${file}: row ${String(row.rowid)} of ${text(row, 'table')} refers to a missing row of ${text(row, 'parent')}`,
    );
  }
  return problems;
}
