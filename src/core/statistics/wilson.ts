import { zForConfidence } from './normal-quantile.js';

export interface ConfidenceInterval {
  lower: number;
  upper: number;
}

/**
 * The Wilson score interval for a success rate. Unlike the normal approximation it stays inside [0, 1]
 * and is honest for small samples: 3 of 3 is not "certainly 100%", its lower bound is 0.44.
 * No trials gives [0, 1]: nothing is known.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): ConfidenceInterval {
  if (!Number.isFinite(successes) || !Number.isFinite(trials) || successes < 0 || successes > trials) {
    throw new RangeError(`wilsonInterval: expected 0 <= successes <= trials, got ${successes} of ${trials}`);
  }
  const z = zForConfidence(confidence);
  if (trials === 0) return { lower: 0, upper: 1 };
  const rate = successes / trials;
  const zSquaredOverN = (z * z) / trials;
  const denominator = 1 + zSquaredOverN;
  const centre = (rate + zSquaredOverN / 2) / denominator;
  const halfWidth = (z * Math.sqrt((rate * (1 - rate)) / trials + zSquaredOverN / (4 * trials))) / denominator;
  // At 0 and n successes the exact bound is 0 or 1; rounding would leave a crumb such as 1e-17.
  return {
    lower: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: successes === trials ? 1 : Math.min(1, centre + halfWidth),
  };
}
