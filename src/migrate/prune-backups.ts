import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { listDirIfExists } from '../core/durable-files.js';
import { ModelPerfError } from '../core/errors.js';
import { BACKUPS_DIR, checkStoreEntry } from '../core/store-files.js';

/**
 * Archive names (core's backupName) carry the time they were made, so that retention reads the age from
 * the name. Only names with an `imported` or `absorbed` marker are ever pruned, and those are made only
 * after their import is recorded.
 */
const STAMP = /\.(imported|absorbed)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z(?:-[0-9a-f]+)?(?:\.[a-z]+)?$/;

/** When a prunable archive was made, or undefined for any other name (quarantined files included). */
export function prunableArchiveDate(name: string): Date | undefined {
  const match = STAMP.exec(name);
  if (match === null) return undefined;
  const [, , year, month, day, hour, minute, second, millis] = match;
  const time = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}Z`);
  return Number.isNaN(time) ? undefined : new Date(time);
}

export interface PruneOptions {
  dir: string;
  now?: Date;
  retentionDays?: number;
}

const DAY_MS = 86_400_000;

/**
 * Removes archives of recorded imports older than the retention (default 7 days) and returns their
 * paths. Quarantined corrupt files and anything without an import marker are never touched.
 */
export async function pruneBackups({ dir, now = new Date(), retentionDays = 7 }: PruneOptions): Promise<string[]> {
  if (!Number.isFinite(retentionDays) || retentionDays < 0) {
    throw new ModelPerfError(
      'MP_CONFIG',
      `pruneBackups: retentionDays must be a non-negative number, got ${retentionDays}.`,
      {
        field: 'retentionDays',
      },
    );
  }
  const backups = join(resolve(dir), BACKUPS_DIR);
  // Pruning through a symlinked backups/ would delete whatever is named like an archive elsewhere.
  await checkStoreEntry(backups, 'directory');
  const names = await listDirIfExists(backups);
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  const removed: string[] = [];
  for (const name of names.sort()) {
    const madeAt = prunableArchiveDate(name);
    if (madeAt === undefined || madeAt.getTime() >= cutoff) continue;
    const path = join(backups, name);
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}
