import { twoProportionZTest } from '../core/statistics/two-proportion.js';
import type { DriftFlag } from './dashboard-data.js';

/**
 * Below this p-value (divided by the number of days tried) a drop is flagged: strict, since every day of
 * the window is tried as the start of the drop, for every model of every task.
 */
export const DRIFT_P_VALUE = 0.01;
/** Fewer samples than this on either side of the change say too little to flag anything. */
const MIN_SAMPLES = 10;
/** A drop smaller than this (in rate) is not worth a flag, however sure. */
const MIN_DROP = 0.1;

export interface Counts {
  samples: number;
  successes: number;
}

/** One model's outcomes per day of the window, oldest first. */
export interface DailyCounts {
  days: readonly string[];
  wins: readonly number[];
  attempts: readonly number[];
}

/**
 * Whether a model got worse: each day of the window with attempts is tried as the day the change began,
 * comparing everything since it with everything before it (all time, so history before the window
 * counts too) by a two-proportion z-test. The most significant drop is flagged when it passes the
 * threshold, corrected for the number of days tried. A rise is never flagged: it needs no action.
 */
export function detectDrift(daily: DailyCounts, allTime: Counts): DriftFlag | null {
  let best: DriftFlag | null = null;
  let tried = 0;
  let sinceWins = 0;
  let sinceAttempts = 0;
  for (let index = daily.days.length - 1; index >= 0; index -= 1) {
    const attempts = daily.attempts[index] ?? 0;
    sinceWins += daily.wins[index] ?? 0;
    sinceAttempts += attempts;
    if (attempts === 0) continue;
    tried += 1;
    const before = { samples: allTime.samples - sinceAttempts, successes: allTime.successes - sinceWins };
    if (sinceAttempts < MIN_SAMPLES || before.samples < MIN_SAMPLES) continue;
    const recentRate = sinceWins / sinceAttempts;
    const earlierRate = before.successes / before.samples;
    if (earlierRate - recentRate < MIN_DROP) continue;
    const { pValue } = twoProportionZTest(
      { wins: sinceWins, trials: sinceAttempts },
      { wins: before.successes, trials: before.samples },
    );
    if (best === null || pValue < best.pValue) {
      best = {
        since: daily.days[index] ?? '',
        recentRate,
        recentSamples: sinceAttempts,
        earlierRate,
        earlierSamples: before.samples,
        pValue,
      };
    }
  }
  return best !== null && best.pValue < DRIFT_P_VALUE / Math.max(tried, 1) ? best : null;
}
