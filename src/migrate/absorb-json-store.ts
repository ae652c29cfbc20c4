import { createHash } from 'node:crypto';
import { mkdir, rename, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { BaselineEntry } from '../core/baselines.js';
import { syncDirectory } from '../core/durable-files.js';
import { toOutcomeInput } from '../core/outcome-input.js';
import { writeSnapshot } from '../core/snapshot.js';
import type { PerformanceStore } from '../core/store.js';
import type { OutcomeInput } from '../core/types.js';
import { archiveName, BACKUPS_DIR } from './backup-names.js';

export type JsonStoreOpener = (dir: string) => Promise<PerformanceStore>;

export interface JsonAbsorption {
  outcomes: number;
  imports: number;
  federatedSources: number;
  archive: string;
}

interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

const BATCH = 1000;

async function existing(paths: readonly string[]): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  for (const path of paths) {
    try {
      const info = await stat(path);
      found.push({ path, size: info.size, mtimeMs: info.mtimeMs });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return found;
}

async function copyOutcomes(json: PerformanceStore, sqlite: PerformanceStore): Promise<number> {
  let copied = 0;
  let batch: OutcomeInput[] = [];
  for await (const outcome of json.outcomes()) {
    batch.push(toOutcomeInput(outcome));
    if (batch.length === BATCH) {
      await sqlite.recordMany(batch);
      copied += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await sqlite.recordMany(batch);
  return copied + batch.length;
}

/** Imports recorded on JSON move with their baselines (importBaselines skips any SQLite already has). */
async function copyImports(json: PerformanceStore, sqlite: PerformanceStore): Promise<number> {
  const baselines = await json.listBaselines();
  let copied = 0;
  for (const source of await json.listImports()) {
    const entries: BaselineEntry[] = baselines
      .filter((baseline) => baseline.sourceId === source.id)
      .map(({ sourceId: _source, ...entry }) => entry);
    const { importedAt: _when, ...imported } = source;
    const added =
      entries.length > 0 ? await sqlite.importBaselines(imported, entries) : await sqlite.recordImport(imported);
    if (added) copied += 1;
  }
  return copied;
}

/** Federated priors move source by source; replaceFederated makes a re-run harmless. */
async function copyFederated(json: PerformanceStore, sqlite: PerformanceStore): Promise<number> {
  const bySource = new Map<string, { exportedAt: string; entries: BaselineEntry[] }>();
  for (const { sourceId, exportedAt, importedAt: _when, ...entry } of await json.listFederated()) {
    const source = bySource.get(sourceId) ?? { exportedAt, entries: [] };
    source.entries.push(entry);
    bySource.set(sourceId, source);
  }
  for (const [id, { exportedAt, entries }] of bySource) await sqlite.replaceFederated({ id, exportedAt }, entries);
  return bySource.size;
}

/**
 * Brings what was recorded on JSON (while SQLite could not start, or before the runtime moved to a Node
 * with SQLite) into the SQLite store: every raw outcome by its id, so a crash and re-run, or an outcome
 * already there, counts once; imports with their baselines; federated priors. The aggregate snapshot a
 * degraded JSON session started from is never imported back (it has no import record there). Afterwards
 * the JSON files move to backups/, so the next degraded session starts from the new snapshot; a JSON
 * writer still running elsewhere notices its journal moved and writes again to a new one, which the next
 * open absorbs.
 */
export async function absorbJsonStore(
  sqlite: PerformanceStore,
  dir: string,
  openJson: JsonStoreOpener,
  now = new Date(),
): Promise<JsonAbsorption | undefined> {
  const json = await openJson(dir);
  let files: FoundFile[];
  let outcomes: number;
  let imports: number;
  let federatedSources: number;
  try {
    files = await existing(json.info.files);
    if (files.length === 0) return undefined;
    outcomes = await copyOutcomes(json, sqlite);
    imports = await copyImports(json, sqlite);
    federatedSources = await copyFederated(json, sqlite);
  } finally {
    await json.close();
  }
  const identity = createHash('sha256')
    .update(JSON.stringify(files.map((file) => [basename(file.path), file.size, file.mtimeMs])))
    .digest('hex');
  await sqlite.recordImport({
    id: `degraded-json:${identity}`,
    kind: 'degraded-json',
    details: { outcomes, files: files.length },
  });
  const archive = join(dir, BACKUPS_DIR, archiveName('json-store', 'absorbed', now, identity.slice(0, 12), ''));
  await mkdir(archive, { recursive: true });
  for (const file of files) await rename(file.path, join(archive, basename(file.path)));
  await syncDirectory(archive);
  await syncDirectory(dir);
  // The next degraded session starts from the snapshot: it must already hold what was just absorbed.
  await writeSnapshot(dir, await sqlite.listStats(), now);
  return { outcomes, imports, federatedSources, archive };
}
