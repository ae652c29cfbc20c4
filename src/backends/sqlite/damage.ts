import { stat } from 'node:fs/promises';
import { describeError, isModelPerfError, ModelPerfError } from '../../core/errors.js';
import type { SqliteModule } from '../../core/load-sqlite.js';
import { CONNECTION_BUSY_TIMEOUT_MS, waitWhileBusy } from './busy-wait.js';
import { processesUsing } from './file-users.js';
import { integrityProblems } from './integrity.js';
import { isOpenInThisProcess } from './open-files.js';
import type { SqliteSettings } from './options.js';
import { quarantineDatabase } from './quarantine.js';
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
