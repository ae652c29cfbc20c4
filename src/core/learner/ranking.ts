import { wilsonInterval } from '../statistics/wilson.js';
import { compareText } from '../stats.js';
import type { ModelStats } from '../types.js';
import { MAX_WINDOW_DAYS } from './model-stats-source.js';
import { OptionReader } from './option-reader.js';
import { RANKING_STRATEGIES, type RankingStrategy, type ResolvedPolicy } from './policy.js';

export interface RankingOptions {
  /** Models with fewer samples are left out. Default: the policy's (3). */
  minSamples?: number;
  strategy?: RankingStrategy;
  /** Confidence level of the Wilson bounds. Default: the policy's (0.95). */
  confidence?: number;
  /** Count only the outcomes of the last windowDays days (fractions allowed). Default: all time. */
  windowDays?: number;
}

export interface RankingQuery {
  minSamples: number;
  strategy: RankingStrategy;
  confidence: number;
  windowDays: number | undefined;
}

export interface RankedModel {
  modelId: string;
  successes: number;
  failures: number;
  timeouts: number;
  samples: number;
  successRate: number;
  /** Wilson bounds of the success rate at the query's confidence. */
  lower: number;
  upper: number;
  /** What the ranking sorts by: `lower` for 'wilson', `successRate` for 'raw'. */
  score: number;
  totalTokens: number;
  totalCost: number;
  avgTokens: number;
  avgCost: number;
  /** null when no outcome measured latency. */
  avgLatencyMs: number | null;
  lastUsed: string | null;
}

const RANKING_KEYS = ['minSamples', 'strategy', 'confidence', 'windowDays'] as const;

export function readRankingOptions(options: unknown, policy: ResolvedPolicy): RankingQuery {
  const reader = new OptionReader(options, RANKING_KEYS, 'MP_INVALID_QUERY');
  return {
    minSamples: reader.integer('minSamples', policy.minSamples),
    strategy: reader.choice('strategy', RANKING_STRATEGIES, policy.strategy),
    confidence: reader.openFraction('confidence', policy.confidence),
    windowDays: reader.optionalPositive('windowDays', MAX_WINDOW_DAYS),
  };
}

export function toRankedModel(stats: ModelStats, strategy: RankingStrategy, confidence: number): RankedModel {
  const { lower, upper } = wilsonInterval(stats.successes, stats.samples, confidence);
  const perSample = (total: number): number => (stats.samples === 0 ? 0 : total / stats.samples);
  return {
    modelId: stats.modelId,
    successes: stats.successes,
    failures: stats.failures,
    timeouts: stats.timeouts,
    samples: stats.samples,
    successRate: stats.successRate,
    lower,
    upper,
    score: strategy === 'wilson' ? lower : stats.successRate,
    totalTokens: stats.totalTokens,
    totalCost: stats.totalCost,
    avgTokens: perSample(stats.totalTokens),
    avgCost: perSample(stats.totalCost),
    avgLatencyMs: stats.latencySamples === 0 ? null : stats.totalLatencyMs / stats.latencySamples,
    lastUsed: stats.lastUsed,
  };
}

/** Best first: higher score, then more evidence, then cheaper, then modelId so that the order is total. */
export function compareRanked(a: RankedModel, b: RankedModel): number {
  return b.score - a.score || b.samples - a.samples || a.avgCost - b.avgCost || compareText(a.modelId, b.modelId);
}

export function rankModels(stats: readonly ModelStats[], query: RankingQuery): RankedModel[] {
  return stats
    .filter((model) => model.samples >= query.minSamples)
    .map((model) => toRankedModel(model, query.strategy, query.confidence))
    .sort(compareRanked);
}
