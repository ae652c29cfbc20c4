import { wilsonInterval } from '../core/statistics/wilson.js';
import { averageOf, compareText } from '../core/stats.js';
import type { ModelStats } from '../core/types.js';
import { NO_PRIOR, type Prior } from './federated.js';
import { MAX_WINDOW_DAYS } from './model-stats-source.js';
import { OptionReader } from './option-reader.js';
import { RANKING_STRATEGIES, type RankingStrategy, type ResolvedPolicy } from './policy.js';

export interface RankingOptions {
  /** Models with fewer samples are left out. Default: the policy's (3). */
  minSamples?: number;
  strategy?: RankingStrategy;
  /** Confidence level of the Wilson bounds. Default: the policy's (0.95). */
  confidence?: number;
  /**
   * Count each model's outcomes of the last windowDays days (fractions allowed); a model with none in the
   * window is ranked on its all-time record and flagged `stale`, so it does not vanish. Default: all time.
   */
  windowDays?: number;
  /**
   * Add other installations' aggregates (ModelLearner.importStats), summed over sources, to each
   * model's successes and failures as a prior before the bounds are computed; models known only from
   * them are ranked too. The prior is all-time, also under windowDays. Default false: local data only.
   */
  includeFederated?: boolean;
}

export interface RankingQuery {
  minSamples: number;
  strategy: RankingStrategy;
  confidence: number;
  windowDays: number | undefined;
  includeFederated: boolean;
}

/** successes, failures, samples, successRate and the bounds include the federated prior, if any. */
export interface RankedModel
  extends Pick<ModelStats, 'modelId' | 'successes' | 'failures' | 'timeouts' | 'samples' | 'successRate'> {
  /**
   * How many of the samples the federated prior added (0 without includeFederated). Timeouts, totals,
   * averages and lastUsed are this store's own: a prior only informs the success rate.
   */
  federatedSamples: number;
  /** Wilson bounds of the success rate at the query's confidence. */
  lower: number;
  upper: number;
  /** What the ranking sorts by: `lower` for 'wilson', `successRate` for 'raw'. */
  score: number;
  totalTokens: number;
  totalCost: number;
  /** Averages over the outcomes that carried a value; null when none did. */
  avgTokens: number | null;
  avgCost: number | null;
  /** null when no outcome measured latency. */
  avgLatencyMs: number | null;
  lastUsed: string | null;
  /** True when a windowed query found no outcome of this model in the window: these are all-time numbers. */
  stale: boolean;
}

const RANKING_KEYS = ['minSamples', 'strategy', 'confidence', 'windowDays', 'includeFederated'] as const;

export function readRankingOptions(options: unknown, policy: ResolvedPolicy): RankingQuery {
  const reader = new OptionReader(options, RANKING_KEYS, 'MP_INVALID_QUERY');
  return {
    minSamples: reader.integer('minSamples', policy.minSamples),
    strategy: reader.choice('strategy', RANKING_STRATEGIES, policy.strategy),
    confidence: reader.openFraction('confidence', policy.confidence),
    windowDays: reader.optionalPositive('windowDays', MAX_WINDOW_DAYS),
    includeFederated: reader.boolean('includeFederated', false),
  };
}

export function toRankedModel(
  stats: ModelStats,
  strategy: RankingStrategy,
  confidence: number,
  prior: Prior = NO_PRIOR,
  stale = false,
): RankedModel {
  const successes = stats.successes + prior.successes;
  const failures = stats.failures + prior.failures;
  const samples = successes + failures;
  const successRate = samples === 0 ? 0 : successes / samples;
  const { lower, upper } = wilsonInterval(successes, samples, confidence);
  return {
    modelId: stats.modelId,
    successes,
    failures,
    timeouts: stats.timeouts,
    samples,
    federatedSamples: prior.successes + prior.failures,
    successRate,
    lower,
    upper,
    score: strategy === 'wilson' ? lower : successRate,
    totalTokens: stats.totalTokens,
    totalCost: stats.totalCost,
    // This store's own values only: the prior carries no tokens or costs worth averaging in.
    avgTokens: averageOf(stats.totalTokens, stats.tokenSamples),
    avgCost: averageOf(stats.totalCost, stats.costSamples),
    avgLatencyMs: averageOf(stats.totalLatencyMs, stats.latencySamples),
    lastUsed: stats.lastUsed,
    stale,
  };
}

/**
 * Best first: higher score, then more evidence, then cheaper (an unknown cost after a known one), then
 * modelId so that the order is total.
 */
export function compareRanked(a: RankedModel, b: RankedModel): number {
  return (
    b.score - a.score || b.samples - a.samples || compareCost(a.avgCost, b.avgCost) || compareText(a.modelId, b.modelId)
  );
}

function compareCost(a: number | null, b: number | null): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return a - b;
}

/** minSamples counts the prior's samples too: evidence from peers is evidence. */
export function rankModels(
  stats: readonly ModelStats[],
  query: RankingQuery,
  priors: ReadonlyMap<string, Prior> = new Map(),
  stale: ReadonlySet<string> = new Set(),
): RankedModel[] {
  return stats
    .map((model) =>
      toRankedModel(model, query.strategy, query.confidence, priors.get(model.modelId), stale.has(model.modelId)),
    )
    .filter((model) => model.samples >= query.minSamples)
    .sort(compareRanked);
}

// The numbers in reasons are rounded for people; the decision fields carry the exact values.

export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export function bound(value: number): string {
  return value.toFixed(3);
}

export function confidenceLevel(confidence: number): string {
  return `${Number((confidence * 100).toPrecision(6))}%`;
}

/** " in the last 7 days" for a windowed query, nothing for an all-time one. */
export function windowScope(windowDays: number | undefined): string {
  if (windowDays === undefined) return '';
  return ` in the last ${windowDays} ${windowDays === 1 ? 'day' : 'days'}`;
}

export function samplesOf(count: number): string {
  return `${count} ${count === 1 ? 'sample' : 'samples'}`;
}
