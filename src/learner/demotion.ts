import { wilsonInterval } from '../core/statistics/wilson.js';
import type { ModelStats } from '../core/types.js';
import { bound, confidenceLevel, percent, samplesOf, windowScope } from './ab-test.js';
import { MAX_WINDOW_DAYS } from './model-stats-source.js';
import { OptionReader } from './option-reader.js';
import type { ResolvedPolicy } from './policy.js';

export interface DemotionOptions {
  /** Demote when the Wilson upper bound is below this success rate. Default: the policy's (0.5). */
  threshold?: number;
  /** Never demote on fewer samples. Default: the policy's (5). */
  minSamples?: number;
  confidence?: number;
  /** Judge only the outcomes of the last windowDays days. Default: all time. */
  windowDays?: number;
}

export interface DemotionQuery {
  threshold: number;
  minSamples: number;
  confidence: number;
  windowDays: number | undefined;
}

export interface DemotionDecision {
  demote: boolean;
  /** A sentence with the numbers behind the decision. */
  reason: string;
  samples: number;
  successRate: number;
  lower: number;
  upper: number;
}

const DEMOTION_KEYS = ['threshold', 'minSamples', 'confidence', 'windowDays'] as const;

export function readDemotionOptions(options: unknown, policy: ResolvedPolicy): DemotionQuery {
  const reader = new OptionReader(options, DEMOTION_KEYS, 'MP_INVALID_QUERY');
  return {
    threshold: reader.closedFraction('threshold', policy.demotionThreshold),
    minSamples: reader.integer('minSamples', policy.demotionMinSamples),
    confidence: reader.openFraction('confidence', policy.confidence),
    windowDays: reader.optionalPositive('windowDays', MAX_WINDOW_DAYS),
  };
}

/**
 * Demotes only on evidence: even the optimistic end of the interval is below the threshold, so a model
 * is not demoted for a short unlucky streak, and an unknown model is never demoted.
 */
export function decideDemotion(
  taskType: string,
  modelId: string,
  stats: ModelStats | undefined,
  query: DemotionQuery,
): DemotionDecision {
  const scope = windowScope(query.windowDays);
  const samples = stats?.samples ?? 0;
  const successes = stats?.successes ?? 0;
  const successRate = stats?.successRate ?? 0;
  const { lower, upper } = wilsonInterval(successes, samples, query.confidence);
  const numbers = { samples, successRate, lower, upper };
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
  const demote = upper < query.threshold;
  const comparison = demote ? 'is below' : 'is not below';
  const verdict = demote ? 'demote' : 'keep';
  return {
    demote,
    reason: `${record}; its ${confidenceLevel(query.confidence)} upper bound ${bound(upper)} ${comparison} the threshold ${bound(query.threshold)}: ${verdict}.`,
    ...numbers,
  };
}
