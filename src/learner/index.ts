export type { ABTestCandidates } from './ab-test.js';
export type { Choice, ChooseOptions, RankedChoice } from './choose-policy.js';
export type { CompareOptions, Comparison, ModelComparison, Significance } from './compare.js';
export type { DemotionDecision, DemotionOptions } from './demotion.js';
export { DEFAULT_RECENT_DAYS, type RecentRate, recentRates } from './drift.js';
export type { StatsDocument } from './federated.js';
export {
  type ExportOptions,
  type ImportedStats,
  type LearnerOpenOptions,
  ModelLearner,
  type OutcomeDetails,
} from './learner.js';
export type { LearnerPolicy, RankingStrategy } from './policy.js';
export type { RankedModel, RankingOptions } from './ranking.js';
export type { TrendOptions, TrendPoint } from './trend.js';
