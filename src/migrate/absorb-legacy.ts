import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BaselineEntry, ImportSource } from '../core/baselines.js';
import { BACKUPS_DIR, backupName, copyFileDurably, isMissing, syncDirectory } from '../core/durable-files.js';
import { describeError, isModelPerfError } from '../core/errors.js';
import { LEGACY_FILE, parseLegacyStats } from '../core/legacy-format.js';
import type { PerformanceStore } from '../core/store.js';

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
    if ((await readFile(path)).equals(bytes)) return path;
  }
  return undefined;
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
    bytes = await readFile(file);
  } catch (error) {
    if (isMissing(error)) return { status: 'none' };
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
    await copyFileDurably(file, archive);
  }
  await unlink(file);
  await syncDirectory(dir);
  return { status: 'absorbed', file, archive, pairs: entries.length, imported };
}
