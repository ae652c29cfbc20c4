import { createHash } from 'node:crypto';
import { mkdir, rename, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { jsonStoreFiles, openJsonStore } from '../backends/json/index.js';
import { backupName, listDirIfExists, randomHex, syncDirectory } from '../core/durable-files.js';
import type { Logger } from '../core/logger.js';
import { writeSnapshot } from '../core/snapshot.js';
import type { PerformanceStore } from '../core/store.js';
import { BACKUPS_DIR, isMissing } from '../core/store-files.js';
import { pushToStore } from './push-to-store.js';

export interface JsonAbsorption {
  outcomes: number;
  imports: number;
  federatedSources: number;
  archives: string[];
}

const STAGING_PREFIX = 'json-store.absorbing-';

async function existing(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    if (
      (await stat(path).catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)))) !== undefined
    ) {
      found.push(path);
    }
  }
  return found;
}

/**
 * Moves the JSON store's files out of the way before anything is read from them: a JSON writer still
 * running in another process then finds its journal gone and writes its next lines (and the last one
 * again) to a new journal in the store dir, which the next absorb takes. Reading in place instead could
 * miss a line appended between the copy and the move.
 */
async function stageJsonFiles(dir: string, now: Date): Promise<void> {
  // Checked by name, not by opening a JSON store: this runs on every SQLite open, nearly always finding nothing.
  const files = await existing(jsonStoreFiles(dir));
  if (files.length === 0) return;
  const staging = join(dir, BACKUPS_DIR, backupName('json-store', 'absorbing', now, randomHex(6)));
  await mkdir(staging, { recursive: true });
  for (const file of files) await rename(file, join(staging, basename(file)));
  await syncDirectory(staging);
  await syncDirectory(dir);
}

async function stagedDirs(dir: string): Promise<string[]> {
  const backups = join(dir, BACKUPS_DIR);
  return (await listDirIfExists(backups))
    .filter((name) => name.startsWith(STAGING_PREFIX))
    .map((name) => join(backups, name));
}

/**
 * Brings what was recorded on JSON (while SQLite could not start, or before the runtime moved to a Node
 * with SQLite; or while PostgreSQL was out of reach) into the store that takes over: every raw outcome
 * by its id, so a crash and re-run, or an outcome already there, counts once; imports with their
 * baselines; federated priors. The aggregate snapshot a degraded JSON session started from is never
 * imported back (it has no import record there). The files are staged in backups/ first, pushed from
 * there, and the staging dir is renamed to an `absorbed` archive once its import is recorded; a staging
 * dir left by a crash is pushed again (harmlessly) at the next open.
 */
export async function absorbJsonStore(
  target: PerformanceStore,
  dir: string,
  logger: Logger,
  now = new Date(),
): Promise<JsonAbsorption | undefined> {
  await stageJsonFiles(dir, now);
  const stagingDirs = await stagedDirs(dir);
  if (stagingDirs.length === 0) return undefined;
  const absorbed: JsonAbsorption = { outcomes: 0, imports: 0, federatedSources: 0, archives: [] };
  for (const staging of stagingDirs) {
    const staged = await openJsonStore({ dir: staging, logger });
    try {
      const pushed = await pushToStore({ from: staged, to: target });
      absorbed.outcomes += pushed.outcomes;
      absorbed.imports += pushed.imports;
      absorbed.federatedSources += pushed.federatedSources;
    } finally {
      await staged.close();
    }
    const identity = createHash('sha256').update(basename(staging)).digest('hex');
    await target.importBaselines(
      { id: `degraded-json:${identity}`, kind: 'degraded-json', details: { staged: basename(staging) } },
      [],
    );
    const archive = join(dir, BACKUPS_DIR, backupName('json-store', 'absorbed', now, identity.slice(0, 12)));
    await rename(staging, archive);
    absorbed.archives.push(archive);
  }
  await syncDirectory(join(dir, BACKUPS_DIR));
  // The next degraded session starts from the snapshot: it must already hold what was just absorbed.
  await writeSnapshot(dir, await target.listStats(), now);
  return absorbed;
}
