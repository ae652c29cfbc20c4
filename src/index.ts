import { openJsonStore } from './backends/json/index.js';
import { openSqliteStore } from './backends/sqlite/index.js';
import { openEmbeddedStore } from './core/open-store.js';
import type { OpenStoreOptions } from './core/options.js';
import type { PerformanceStore } from './core/store.js';

export type { BackendOptions, Durability, Selection } from './core/backend-options.js';
export { isModelPerfError, ModelPerfError, type ModelPerfErrorCode } from './core/errors.js';
export { type Logger, silentLogger, stderrLogger } from './core/logger.js';
export type { BackendChoice, OpenStoreOptions, StoreSettings } from './core/options.js';
export type { PerformanceStore } from './core/store.js';
export type * from './core/types.js';

/**
 * Opens the store in a dir (default $MODEL_PERF_DIR or .model-perf) on the best backend this Node can
 * run: SQLite on Node >= 24, JSON files otherwise or when SQLite cannot start. `info.reason` says why.
 */
export function openStore(options?: OpenStoreOptions): Promise<PerformanceStore> {
  return openEmbeddedStore({ sqlite: openSqliteStore, json: openJsonStore }, options);
}
