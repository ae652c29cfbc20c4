import { openJsonStore } from './backends/json/index.js';
import { openSqliteStore } from './backends/sqlite/index.js';
import { ModelLearner as LearnerCore, type LearnerOpenOptions } from './core/learner/index.js';
import { openEmbeddedStore } from './core/open-store.js';
import type { OpenStoreOptions } from './core/options.js';
import type { PerformanceStore } from './core/store.js';
import { jsonStoreAccess } from './json-store-access.js';
import { migrateOnOpen } from './migrate/on-open.js';
import { openPostgres } from './open-postgres.js';

export type { BackendOptions, Durability, PostgresOptions, Selection } from './core/backend-options.js';
export { BaseStore } from './core/base-store.js';
export type { BaselineEntry, BaselineRecord, ImportKind, ImportRecord, ImportSource } from './core/baselines.js';
export { isModelPerfError, ModelPerfError, type ModelPerfErrorCode } from './core/errors.js';
export type { FederatedEntry, FederatedFilter, FederatedSource } from './core/federated.js';
export type {
  ABTestCandidates,
  CompareOptions,
  Comparison,
  DemotionDecision,
  DemotionOptions,
  ExportOptions,
  ImportedStats,
  LearnerOpenOptions,
  LearnerPolicy,
  ModelComparison,
  OutcomeDetails,
  RankedModel,
  RankingOptions,
  RankingStrategy,
  Significance,
  StatsDocument,
  TrendOptions,
  TrendPoint,
} from './core/learner/index.js';
export { type Logger, silentLogger, stderrLogger } from './core/logger.js';
export type { BackendChoice, OpenStoreOptions, StoreSettings } from './core/options.js';
export type { PerformanceStore } from './core/store.js';
export { parseTimeInput } from './core/time-input.js';
export type * from './core/types.js';
export type { NormalizedOutcomeQuery, NormalizedStatsFilter, NormalizedSummaryQuery } from './core/validation.js';
export type { VerifiedField, VerifyMismatch, VerifyReport } from './core/verify.js';

/**
 * Opens the store in a dir (default $MODEL_PERF_DIR or .model-perf) on the best backend this Node can
 * run: SQLite on Node >= 24, JSON files otherwise or when SQLite cannot start. `info.reason` says why.
 * With backend 'postgres' (and a URL, best in $MODEL_PERF_PG_URL) a fleet shares one PostgreSQL schema;
 * while the server is out of reach the store records into JSON files in the dir and pushes them later.
 */
export function openStore(options?: OpenStoreOptions): Promise<PerformanceStore> {
  return openEmbeddedStore(
    {
      sqlite: openSqliteStore,
      json: openJsonStore,
      migrateOnOpen: (store, dir, logger) => migrateOnOpen(store, dir, logger, jsonStoreAccess(logger)),
      postgres: openPostgres,
    },
    options,
  );
}

/** The learner over a store; `ModelLearner.open(options)` opens the store with openStore. */
export class ModelLearner extends LearnerCore {
  static open(options?: LearnerOpenOptions): Promise<ModelLearner> {
    return ModelLearner.openWith(openStore, options);
  }
}
