/**
 * The package root: openStore picks and opens a backend (src/open), ModelLearner answers dispatch
 * questions over any store (src/learner); the rest is the contract's types.
 */

export { BaseStore } from './core/base-store.js';
export type { BaselineEntry, BaselineRecord, ImportKind, ImportRecord, ImportSource } from './core/baselines.js';
export { isModelPerfError, ModelPerfError, type ModelPerfErrorCode } from './core/errors.js';
export type { FederatedEntry, FederatedFilter, FederatedSource } from './core/federated.js';
export { type Logger, silentLogger, stderrLogger } from './core/logger.js';
export type {
  BackendChoice,
  BackendOptions,
  Durability,
  OpenStoreOptions,
  PostgresOptions,
  Selection,
  StoreSettings,
} from './core/options.js';
// The one rule for an average over the values given (null when none was): the CLI's CSV uses it too.
export { averageOf } from './core/stats.js';
export type { PerformanceStore } from './core/store.js';
export { parseTimeInput } from './core/time-input.js';
export type * from './core/types.js';
export {
  isValidName,
  type NormalizedOutcomeQuery,
  type NormalizedStatsFilter,
  type NormalizedSummaryQuery,
} from './core/validation.js';
export type { VerifiedField, VerifyMismatch, VerifyReport } from './core/verify.js';
export type {
  ABTestCandidates,
  Choice,
  ChooseOptions,
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
  RankedChoice,
  RankedModel,
  RankingOptions,
  RankingStrategy,
  RecentRate,
  Significance,
  StatsDocument,
  TrendOptions,
  TrendPoint,
} from './learner/index.js';

export { DEFAULT_RECENT_DAYS, ModelLearner, recentRates } from './learner/index.js';
export { openStore } from './open/open-store.js';
