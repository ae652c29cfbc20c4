import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelPerfError } from '../core/errors.js';
import { checkStoreEntry } from '../core/store-files.js';
import { BACKUPS_DIR, prunableArchiveDate } from './backup-names.js';

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
  let names: string[];
  try {
    names = await readdir(backups);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
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
