import { JsonStore } from './json-store.js';
import type { JsonStoreOptions } from './layout.js';

export { JsonStore } from './json-store.js';
export { type JsonStoreOptions, type JsonTuning, jsonStoreFiles } from './layout.js';

/**
 * Opens the JSON-files store in options.dir (created when missing). Works on every supported Node.
 * Several processes may open one dir and write at once. Rejects with MP_CORRUPT_DATA when a damaged
 * file had to be moved to `<dir>/backups/` (its readable lines are kept; opening again works),
 * MP_BACKEND_UNAVAILABLE when the files were written by a newer model-perf, MP_IO when the dir cannot
 * be read or created. A dir it may only read opens too; writes then fail with MP_IO.
 */
export function openJsonStore(options: JsonStoreOptions): Promise<JsonStore> {
  return JsonStore.open(options);
}
