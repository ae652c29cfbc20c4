import { wilsonInterval } from '../core/statistics/wilson.js';
import { compareText } from '../core/stats.js';
import type { ModelStats } from '../core/types.js';
import { MAX_WINDOW_DAYS, type TaskStats } from './model-stats-source.js';
import { OptionReader } from './option-reader.js';
import type { ResolvedPolicy } from './policy.js';
import { bound, confidenceLevel, percent, samplesOf, windowScope } from './ranking.js';

export interface DemotionOptions {
  /** Demote when the Wilson upper bound is below this success rate. Default: the policy's (0.5). */
  threshold?: number;
  /** Never demote on fewer samples. Default: the policy's (5). */
  minSamples?: number;
  confidence?: number;
  /**
   * Judge each model on its outcomes of the last windowDays days (a model with none there, on its
   * all-time record). Default: all time.
   */
  windowDays?: number;
  /**
   * Also demote a model that is clearly worse than the task's best: its upper bound is below the lower
   * bound of the model with the highest lower bound (both with at least minSamples samples). An absolute
   * threshold alone never fires on a drop from 0.93 to 0.60 while a 0.90 model is available. Default true.
   */
  relative?: boolean;
}

export interface DemotionQuery {
  threshold: number;
  minSamples: number;
  confidence: number;
  windowDays: number | undefined;
  relative: boolean;
}

/** The model a relative demotion compares with: the task's best by lower bound. */
export interface DemotionBenchmark {
  modelId: string;
  samples: number;
  lower: number;
}

export interface DemotionDecision {
  demote: boolean;
  /** A sentence with the numbers behind the decision. */
  reason: string;
  samples: number;
  successRate: number;
  lower: number;
  upper: number;
  /** The best other model it was compared with, when relative demotion applied; else null. */
  best: DemotionBenchmark | null;
}

const DEMOTION_KEYS = ['threshold', 'minSamples', 'confidence', 'windowDays', 'relative'] as const;

export function readDemotionOptions(options: unknown, policy: ResolvedPolicy): DemotionQuery {
  const reader = new OptionReader(options, DEMOTION_KEYS, 'MP_INVALID_QUERY');
  return {
    threshold: reader.closedFraction('threshold', policy.demotionThreshold),
    minSamples: reader.integer('minSamples', policy.demotionMinSamples),
    confidence: reader.openFraction('confidence', policy.confidence),
    windowDays: reader.optionalPositive('windowDays', MAX_WINDOW_DAYS),
    relative: reader.boolean('relative', true),
  };
}

/** Among the other models with enough samples, the one with the highest Wilson lower bound. */
function bestOtherModel(modelId: string, stats: readonly ModelStats[], query: DemotionQuery): DemotionBenchmark | null {
  let best: DemotionBenchmark | null = null;
  for (const other of stats) {
    if (other.modelId === modelId || other.samples < query.minSamples) continue;
    const { lower } = wilsonInterval(other.successes, other.samples, query.confidence);
    if (best === null || lower > best.lower || (lower === best.lower && compareText(other.modelId, best.modelId) < 0)) {
      best = { modelId: other.modelId, samples: other.samples, lower };
    }
  }
  return best;
}

/**
 * Demotes only on evidence: even the optimistic end of the interval is below the threshold, or below the
 * pessimistic end of the best other model's interval. So a model is not demoted for a short unlucky
 * streak, and an unknown model is never demoted.
 */
export function decideDemotion(
  taskType: string,
  modelId: string,
  task: TaskStats,
  query: DemotionQuery,
): DemotionDecision {
  const stats = task.stats.find((model) => model.modelId === modelId);
  const scope = task.stale.has(modelId) ? ' (no recent outcomes: all time)' : windowScope(query.windowDays);
  const samples = stats?.samples ?? 0;
  const successes = stats?.successes ?? 0;
  const successRate = stats?.successRate ?? 0;
  const { lower, upper } = wilsonInterval(successes, samples, query.confidence);
  const best = query.relative ? bestOtherModel(modelId, task.stats, query) : null;
  const numbers = { samples, successRate, lower, upper, best };
  if (samples === 0) {
    return { demote: false, reason: `No data for ${modelId} on ${taskType}${scope}: not demoted.`, ...numbers };
  }
  const record = `${modelId} succeeded in ${successes} of ${samples} on ${taskType}${scope} (${percent(successRate)})`;
  if (samples < query.minSamples) {
    return {
      demote: false,
      reason: `${record}; ${samplesOf(samples)} is too few to judge, demotion needs ${query.minSamples}.`,
      ...numbers,
    };
  }
  const level = confidenceLevel(query.confidence);
  const threshold = `the threshold ${bound(query.threshold)}`;
  if (upper < query.threshold) {
    return {
      demote: true,
      reason: `${record}; its ${level} upper bound ${bound(upper)} is below ${threshold}: demote.`,
      ...numbers,
    };
  }
  if (best !== null && upper < best.lower) {
    const rival = `${best.modelId}'s lower bound ${bound(best.lower)} over ${samplesOf(best.samples)}`;
    return {
      demote: true,
      reason: `${record}; its ${level} upper bound ${bound(upper)} is below ${rival}: demote.`,
      ...numbers,
    };
  }
  const rival = best === null ? '' : ` nor below ${best.modelId}'s lower bound ${bound(best.lower)}`;
  return {
    demote: false,
    reason: `${record}; its ${level} upper bound ${bound(upper)} is not below ${threshold}${rival}: keep.`,
    ...numbers,
  };
}
