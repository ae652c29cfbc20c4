import { twoProportionZTest } from '../core/statistics/two-proportion.js';
import type { ModelLearner } from './learner.js';
import type { RankedModel } from './ranking.js';

/** The recent window the CLI sets against all time when no window is given (its --window-days default). */
export const DEFAULT_RECENT_DAYS = 14;
/** A drift is flagged when the recent rate and the older one differ at this significance... */
const DRIFT_P_VALUE = 0.05;
/** ...and each side has at least this many samples: two lucky calls are not a trend. */
const DRIFT_MIN_SAMPLES = 5;

/** A model's success over the recent window, set against its outcomes before the window. */
export interface RecentRate {
  windowDays: number;
  samples: number;
  successes: number;
  /** null without samples in the window. */
  successRate: number | null;
  /** 'down' or 'up' when the recent rate differs significantly from the rate before the window. */
  drift: 'down' | 'up' | null;
  /** Two-sided p-value of the two-proportion test, recent against older; null when a side is too small. */
  pValue: number | null;
  allTimeSamples: number;
  allTimeSuccessRate: number;
  /** The rate before the window; null without outcomes before it. */
  olderSuccessRate: number | null;
}

function compareWithOlder(allTime: RankedModel, recent: RankedModel | undefined, windowDays: number): RecentRate {
  const samples = recent?.samples ?? 0;
  const successes = recent?.successes ?? 0;
  const olderSamples = allTime.samples - samples;
  const olderSuccesses = allTime.successes - successes;
  const base = {
    windowDays,
    samples,
    successes,
    successRate: samples === 0 ? null : successes / samples,
    allTimeSamples: allTime.samples,
    allTimeSuccessRate: allTime.successRate,
    olderSuccessRate: olderSamples === 0 ? null : olderSuccesses / olderSamples,
  };
  if (samples < DRIFT_MIN_SAMPLES || olderSamples < DRIFT_MIN_SAMPLES) return { ...base, drift: null, pValue: null };
  const { z, pValue } = twoProportionZTest(
    { wins: successes, trials: samples },
    { wins: olderSuccesses, trials: olderSamples },
  );
  const drift = pValue < DRIFT_P_VALUE ? (z < 0 ? 'down' : 'up') : null;
  return { ...base, drift, pValue };
}

/**
 * Each model's recent rate, and whether it drifted from before: the all-time rate hides a model that
 * was good for a month and broke yesterday. Counts are the store's own (no federated prior).
 */
export async function recentRates(
  learner: ModelLearner,
  taskType: string,
  windowDays: number,
): Promise<Map<string, RecentRate>> {
  const [allTime, recent] = await Promise.all([
    learner.getRankedModels(taskType, { minSamples: 1 }),
    learner.getRankedModels(taskType, { minSamples: 1, windowDays }),
  ]);
  const recentById = new Map(recent.map((model) => [model.modelId, model]));
  return new Map(
    allTime.map((model) => [model.modelId, compareWithOlder(model, recentById.get(model.modelId), windowDays)]),
  );
}
