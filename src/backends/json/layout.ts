import path from 'node:path';

/**
 * Where the JSON backend keeps its files in a store dir:
 *
 *   model-perf.checkpoint.json   aggregates of every segment, and the list of segments (replaced by rename)
 *   segments/seg-*.jsonl         immutable files of raw outcomes, written by compaction
 *   journal/*.open.jsonl         one per writing store instance, appended only by that instance
 *   journal/*.jsonl              sealed journals (their writer closed or died), waiting for compaction
 *   model-perf.imports.json      recorded imports, their baselines, federated priors (replaced by rename)
 *   json.lock                    held while one process compacts or changes the imports file
 *   backups/                     quarantined corrupt files
 */
export interface StoreLayout {
  readonly dir: string;
  readonly checkpoint: string;
  readonly imports: string;
  readonly lock: string;
  readonly journals: string;
  readonly segments: string;
  readonly backups: string;
}

export const CHECKPOINT_NAME = 'model-perf.checkpoint.json';
export const IMPORTS_NAME = 'model-perf.imports.json';
export const LOCK_NAME = 'json.lock';

export function storeLayout(dir: string): StoreLayout {
  const root = path.resolve(dir);
  return {
    dir: root,
    checkpoint: path.join(root, CHECKPOINT_NAME),
    imports: path.join(root, IMPORTS_NAME),
    lock: path.join(root, LOCK_NAME),
    journals: path.join(root, 'journal'),
    segments: path.join(root, 'segments'),
    backups: path.join(root, 'backups'),
  };
}

/**
 * The files and dirs that hold a store's data (what info.files lists): known without opening the
 * store, so that a SQLite store can check for JSON data to absorb at no cost when there is none.
 */
export function jsonStoreFiles(dir: string): string[] {
  const layout = storeLayout(dir);
  return [layout.checkpoint, layout.segments, layout.journals, layout.imports];
}

/** Temp files are named after their target plus this suffix, so that cleanup can recognise them. */
export const TEMP_SUFFIX = '.tmp';

export function tempName(target: string, nonce: string): string {
  return `${target}.${nonce}${TEMP_SUFFIX}`;
}
