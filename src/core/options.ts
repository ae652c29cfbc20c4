import type { Durability } from './backend-options.js';
import type { Logger } from './logger.js';

export type BackendChoice = 'auto' | 'sqlite' | 'json';

/** The settings a store dir's config file and the environment may also give. */
export interface StoreSettings {
  /** 'auto' (default) picks SQLite where Node supports it and the rollout includes this dir. */
  backend: BackendChoice;
  /** When SQLite cannot start, run on JSON instead of failing. Default true. */
  fallback: boolean;
  /** The Node versions on which 'auto' picks SQLite (a semver range). Default '>=24'. */
  sqliteNodeRange: string;
  /** The percentage of store dirs on which 'auto' picks SQLite, stable per dir. Default 100. */
  sqliteRollout: number;
  durability: Durability;
  busyTimeoutMs: number;
}

export interface OpenStoreOptions extends Partial<StoreSettings> {
  /** The store dir. Default: $MODEL_PERF_DIR, else '.model-perf' in the working directory. */
  dir?: string;
  logger?: Logger;
}

export const DEFAULT_SETTINGS: Readonly<StoreSettings> = Object.freeze({
  backend: 'auto',
  fallback: true,
  sqliteNodeRange: '>=24',
  sqliteRollout: 100,
  durability: 'normal',
  busyTimeoutMs: 5000,
});

export const DEFAULT_DIR = '.model-perf';
export const CONFIG_FILE = 'model-perf.config.json';
