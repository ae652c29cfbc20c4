import { jsonStoreFiles, openJsonStore } from './backends/json/index.js';
import type { Logger } from './core/logger.js';
import type { JsonStoreAccess } from './migrate/absorb-json-store.js';

/** The JSON backend as migrate reaches it (migrate imports no backend), logging where the store logs. */
export function jsonStoreAccess(logger: Logger): JsonStoreAccess {
  return { files: jsonStoreFiles, open: (dir) => openJsonStore({ dir, logger }) };
}
