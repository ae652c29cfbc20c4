import { erfc } from './erfc.js';

export interface Proportion {
  wins: number;
  trials: number;
}

export interface TwoProportionTest {
  /** Positive when the first proportion is the larger. */
  z: number;
  /** Two-sided: the chance of a difference at least this large if both rates were equal. */
  pValue: number;
}

/**
 * The pooled two-proportion z-test. Without trials on either side, or when the pooled rate is 0 or 1
 * (every trial agreed), the data shows no difference: z = 0, p = 1.
 */
export function twoProportionZTest(first: Proportion, second: Proportion): TwoProportionTest {
  for (const { wins, trials } of [first, second]) {
    if (!Number.isFinite(wins) || !Number.isFinite(trials) || wins < 0 || wins > trials) {
      throw new RangeError(`twoProportionZTest: expected 0 <= wins <= trials, got ${wins} of ${trials}`);
    }
  }
  if (first.trials === 0 || second.trials === 0) return { z: 0, pValue: 1 };
  const pooled = (first.wins + second.wins) / (first.trials + second.trials);
  const variance = pooled * (1 - pooled) * (1 / first.trials + 1 / second.trials);
  if (variance === 0) return { z: 0, pValue: 1 };
  const z = (first.wins / first.trials - second.wins / second.trials) / Math.sqrt(variance);
  return { z, pValue: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}
