import type { BetaDistribution } from './beta.js';

/**
 * Random variates and P(best) for Beta posteriors: what a Thompson-sampling decision needs, driven by a
 * caller's `random` so that a seeded generator replays every decision.
 */

/** A standard normal variate (Box–Muller); 1 - random() keeps the logarithm finite. */
function sampleNormal(random: () => number): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return radius * Math.cos(2 * Math.PI * random());
}

/**
 * A Gamma(shape, 1) variate by Marsaglia and Tsang's squeeze-and-reject method ("A simple method for
 * generating gamma variables", 2000): about 1.05 normal draws per variate for shape >= 1. A shape below 1
 * boosts Gamma(shape + 1) by U^(1/shape), as the paper suggests.
 */
export function sampleGamma(shape: number, random: () => number): number {
  if (!(shape > 0 && Number.isFinite(shape))) throw new RangeError(`sampleGamma: shape must be positive, got ${shape}`);
  if (shape < 1) return sampleGamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = sampleNormal(random);
    const root = 1 + c * x;
    if (root <= 0) continue;
    const v = root * root * root;
    const u = 1 - random();
    const squared = x * x;
    if (u < 1 - 0.0331 * squared * squared) return d * v;
    if (Math.log(u) < 0.5 * squared + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(alpha, beta) variate as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta). */
export function sampleBeta({ alpha, beta }: BetaDistribution, random: () => number): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  return x / (x + y);
}

export function betaMean({ alpha, beta }: BetaDistribution): number {
  return alpha / (alpha + beta);
}

export function betaVariance({ alpha, beta }: BetaDistribution): number {
  const total = alpha + beta;
  return (alpha * beta) / (total * total * (total + 1));
}

/**
 * The standard normal CDF through Abramowitz and Stegun's formula 7.1.26 for erf (absolute error below
 * 1.5e-7): P(best) needs a few thousand CDF values per decision, and the exact erfc would cost ten times
 * as much for digits no decision uses.
 */
function fastNormalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const polynomial = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const tail = 0.5 * polynomial * Math.exp(-x * x);
  return z >= 0 ? 1 - tail : tail;
}

/** Intervals of the P(best) grid: sums to 1 within 1e-3 of exact quadrature at a few microseconds. */
const GRID_INTERVALS = 64;
/** The grid spans every model's mean ± this many standard deviations that can still be the maximum. */
const GRID_SPAN_SD = 6;

/**
 * P(model i has the highest rate), for independent posteriors, each replaced by the normal with its mean
 * and variance: P_i = ∫ dF_i(x) ∏_{j≠i} F_j(x), on a fixed grid over where the maximum can lie. Each
 * interval weighs the rise of F_i by the product of the others' CDFs averaged over its two ends, so a
 * posterior narrower than the grid step still gets its whole mass. Deterministic, no sampling; the
 * result is renormalized to sum to 1 exactly.
 */
export function probabilityBest(posteriors: readonly BetaDistribution[]): number[] {
  const count = posteriors.length;
  if (count === 0) return [];
  if (count === 1) return [1];
  const means = posteriors.map(betaMean);
  const sds = posteriors.map((posterior) => Math.max(Math.sqrt(betaVariance(posterior)), 1e-9));
  const low = Math.max(...means.map((mean, index) => mean - GRID_SPAN_SD * (sds[index] ?? 0)));
  const high = Math.max(...means.map((mean, index) => mean + GRID_SPAN_SD * (sds[index] ?? 0)));
  const step = (high - low) / GRID_INTERVALS;
  // cdf[g * count + i] = F_i at grid point g.
  const cdf = new Float64Array((GRID_INTERVALS + 1) * count);
  for (let g = 0; g <= GRID_INTERVALS; g += 1) {
    const x = low + g * step;
    for (let i = 0; i < count; i += 1) cdf[g * count + i] = fastNormalCdf((x - (means[i] ?? 0)) / (sds[i] ?? 1));
  }
  const othersAt = (g: number, skip: number): number => {
    let product = 1;
    for (let j = 0; j < count; j += 1) if (j !== skip) product *= cdf[g * count + j] ?? 1;
    return product;
  };
  const weights = new Array<number>(count).fill(0);
  for (let i = 0; i < count; i += 1) {
    // Below the grid the CDF of the model with the highest lower end is ~0: no model is the maximum there.
    let previousOthers = othersAt(0, i);
    let weight = 0;
    for (let g = 1; g <= GRID_INTERVALS; g += 1) {
      const others = othersAt(g, i);
      const rise = (cdf[g * count + i] ?? 0) - (cdf[(g - 1) * count + i] ?? 0);
      weight += rise * 0.5 * (previousOthers + others);
      previousOthers = others;
    }
    // Mass above the grid: the others' CDFs are ~1 there.
    weight += 1 - (cdf[GRID_INTERVALS * count + i] ?? 1);
    weights[i] = weight;
  }
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return total > 0 ? weights.map((weight) => weight / total) : weights.map(() => 1 / count);
}
