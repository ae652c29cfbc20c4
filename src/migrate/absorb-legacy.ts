import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BaselineEntry, ImportSource } from '../core/baselines.js';
import { backupName, quarantine, syncDirectory, writeFileAtomic } from '../core/durable-files.js';
import { describeError, isModelPerfError } from '../core/errors.js';
import { LEGACY_FILE, parseLegacyStats } from '../core/legacy-format.js';
import type { PerformanceStore } from '../core/store.js';
import { BACKUPS_DIR, RefusedEntryError, readStoreFile } from '../core/store-files.js';

export type LegacyAbsorption =
  | { status: 'none' }
  | { status: 'invalid'; file: string; reason: string }
  | { status: 'absorbed'; file: string; archive: string; pairs: number; imported: boolean };

/** The import source of a legacy file: its bytes' SHA-256, so the same file is imported once, wherever it moves. */
export function legacySource(bytes: Uint8Array, entries: readonly BaselineEntry[]): ImportSource {
  const sha = createHash('sha256').update(bytes).digest('hex');
  return {
    id: `legacy-json:${sha}`,
    kind: 'legacy-json',
    details: {
      file: LEGACY_FILE,
      pairs: entries.length,
      successes: entries.reduce((sum, entry) => sum + entry.successes, 0),
      failures: entries.reduce((sum, entry) => sum + entry.failures, 0),
    },
  };
}

/** An unfinished copy is only this old if the process making it died; the original is still in place. */
const ABANDONED_COPY_MS = 10 * 60_000;

/** Removes the partial archive copies that a process killed mid-copy left in backups/. */
async function removeAbandonedCopies(backups: string, now: Date): Promise<void> {
  for (const name of await readdir(backups)) {
    if (!name.startsWith('model-performance.imported-') || !name.endsWith('.tmp')) continue;
    const path = join(backups, name);
    if (now.getTime() - (await stat(path)).mtimeMs > ABANDONED_COPY_MS) await rm(path, { force: true });
  }
}

/** An archive of these exact bytes already in backups/ (a crash came between the copy and the unlink). */
async function findArchive(backups: string, tag: string, bytes: Buffer): Promise<string | undefined> {
  for (const name of await readdir(backups)) {
    if (!name.startsWith(`model-performance.imported-`) || !name.endsWith(`-${tag}.json`)) continue;
    const path = join(backups, name);
    // Only a regular file of ours counts: a symlink or FIFO planted under such a name is passed over.
    const archived = await readStoreFile(path, 'legacy').catch(() => undefined);
    if (archived?.equals(bytes) === true) return path;
  }
  return undefined;
}

/** An archive never grants more than its source did, nor more than a new file of the store gets (umask). */
async function narrowMode(archive: string, sourceMode: number): Promise<void> {
  const { mode } = await stat(archive);
  if ((mode & ~sourceMode & 0o777) !== 0) await chmod(archive, mode & sourceMode & 0o777);
}

/**
 * Moves a legacy model-performance.json into the store: validate, import every pair as a baseline with
 * its source recorded and parity checked (one transaction), then archive the file byte for byte in
 * backups/ and only then remove it. Killed at any point, the next open finishes the job: the file is
 * either still in place (and its import, if committed, is recognised by its hash) or archived.
 * An invalid file is left untouched and reported.
 */
export async function absorbLegacy(store: PerformanceStore, dir: string, now = new Date()): Promise<LegacyAbsorption> {
  const file = join(dir, LEGACY_FILE);
  let bytes: Buffer;
  try {
    const read = await readStoreFile(file, 'legacy');
    if (read === undefined) return { status: 'none' };
    bytes = read;
  } catch (error) {
    if (error instanceof RefusedEntryError) {
      // Set aside (a symlink, never its target), so that the next open neither reads it nor retries it.
      const aside = await quarantine([file], LEGACY_FILE, 'refused', 'move');
      return { status: 'invalid', file, reason: `${error.message} It was moved to ${aside}.` };
    }
    return { status: 'invalid', file, reason: `cannot read it: ${describeError(error)}` };
  }
  let entries: BaselineEntry[];
  try {
    entries = parseLegacyStats(bytes.toString('utf8'), file);
  } catch (error) {
    if (isModelPerfError(error, 'MP_INVALID_IMPORT')) return { status: 'invalid', file, reason: error.message };
    throw error;
  }
  const source = legacySource(bytes, entries);
  const imported = await store.importBaselines(source, entries);
  const backups = join(dir, BACKUPS_DIR);
  await mkdir(backups, { recursive: true });
  const tag = source.id.slice('legacy-json:'.length, 'legacy-json:'.length + 12);
  await removeAbandonedCopies(backups, now);
  let archive = await findArchive(backups, tag, bytes);
  if (archive === undefined) {
    archive = join(backups, `${backupName('model-performance', 'imported', now, tag)}.json`);
    // From the bytes read and checked, never by copying the path again (it could have been swapped).
    await writeFileAtomic(archive, bytes);
    await narrowMode(archive, (await lstat(file)).mode);
  }
  await unlink(file);
  await syncDirectory(dir);
  return { status: 'absorbed', file, archive, pairs: entries.length, imported };
}
