import { logBeta } from './log-gamma.js';

export interface BetaDistribution {
  alpha: number;
  beta: number;
}

/** Beta(1 + wins, 1 + losses): what a uniform prior believes about a success rate after the trials. */
export function betaPosterior(wins: number, trials: number): BetaDistribution {
  return { alpha: 1 + wins, beta: 1 + trials - wins };
}

/**
 * P(X > Y) for independent X ~ first and Y ~ second, exact for whole-number parameters (which
 * posteriors of counted trials always have). The sum has as many terms as the smallest parameter, by
 * choosing among four equivalent forms: P(X > Y) = 1 - P(Y > X), and X > Y exactly when 1 - Y > 1 - X,
 * where 1 - X ~ Beta(beta, alpha).
 */
export function probabilityBetaExceeds(first: BetaDistribution, second: BetaDistribution): number {
  for (const value of [first.alpha, first.beta, second.alpha, second.beta]) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`probabilityBetaExceeds: parameters must be positive whole numbers, got ${value}`);
    }
  }
  const { alpha: a1, beta: b1 } = first;
  const { alpha: a2, beta: b2 } = second;
  const fewest = Math.min(a1, b1, a2, b2);
  let probability: number;
  if (fewest === a1) probability = probabilityLaterExceeds(a2, b2, a1, b1);
  else if (fewest === a2) probability = 1 - probabilityLaterExceeds(a1, b1, a2, b2);
  else if (fewest === b2) probability = probabilityLaterExceeds(b1, a1, b2, a2);
  else probability = 1 - probabilityLaterExceeds(b2, a2, b1, a1);
  return Math.min(1, Math.max(0, probability));
}

/**
 * P(B > A) for A ~ Beta(a1, b1), B ~ Beta(a2, b2), a2 a whole number (Evan Miller, "Formulas for
 * Bayesian A/B testing"): the sum over i < a2 of B(a1 + i, b1 + b2) / ((b2 + i) B(1 + i, b2) B(a1, b1)).
 * Consecutive terms differ by the factor (a1 + i)(b2 + i) / ((i + 1)(a1 + b1 + b2 + i)), so the sum runs
 * in log space without a Beta function per term: large counts neither overflow nor underflow.
 */
function probabilityLaterExceeds(a1: number, b1: number, a2: number, b2: number): number {
  let logTerm = logBeta(a1, b1 + b2) - logBeta(a1, b1);
  let logSum = logTerm;
  for (let i = 0; i < a2 - 1; i += 1) {
    logTerm += Math.log(((a1 + i) * (b2 + i)) / ((i + 1) * (a1 + b1 + b2 + i)));
    logSum = logAddExp(logSum, logTerm);
  }
  return Math.exp(logSum);
}

function logAddExp(x: number, y: number): number {
  const larger = Math.max(x, y);
  return larger + Math.log1p(Math.exp(Math.min(x, y) - larger));
}
