import type { Durability } from './backend-options.js';
import type { Logger } from './logger.js';

/** 'postgres' is never picked by 'auto': a fleet database is chosen on purpose, with its URL. */
export type BackendChoice = 'auto' | 'sqlite' | 'json' | 'postgres';

/** The settings a store dir's config file and the environment may also give. */
export interface StoreSettings {
  /** 'auto' (default) picks SQLite where Node supports it and the rollout includes this dir. */
  backend: BackendChoice;
  /**
   * When SQLite cannot start, or PostgreSQL cannot be reached, record into local JSON files instead of
   * failing. Default true.
   */
  fallback: boolean;
  /** The Node versions on which 'auto' picks SQLite (a semver range). Default '>=24'. */
  sqliteNodeRange: string;
  /** The percentage of store dirs on which 'auto' picks SQLite, stable per dir. Default 100. */
  sqliteRollout: number;
  durability: Durability;
  busyTimeoutMs: number;
  /** When a SQLite store opens, absorb a legacy model-performance.json and degraded JSON data. Default true. */
  migrate: boolean;
  /**
   * The PostgreSQL server of backend 'postgres', e.g. postgres://runtime@db.internal:5432/fleet. Prefer
   * $MODEL_PERF_PG_URL (or a password in ~/.pgpass or $PGPASSWORD): the config file may not hold a password.
   */
  url: string | undefined;
  /** The PostgreSQL schema that holds the tables, created on first use. Default 'model_perf'. */
  postgresSchema: string;
  /** Connections each process keeps to PostgreSQL at most. Default 4. */
  poolSize: number;
  /** How long one PostgreSQL statement may run before it is cancelled (MP_LOCKED); 0 for no limit. Default 30000. */
  statementTimeoutMs: number;
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
  migrate: true,
  url: undefined,
  postgresSchema: 'model_perf',
  poolSize: 4,
  statementTimeoutMs: 30_000,
});

export const DEFAULT_DIR = '.model-perf';
export const CONFIG_FILE = 'model-perf.config.json';
