import { describe, expect, it } from 'vitest';
import { probabilityBetaExceeds } from '../../src/core/statistics/beta.js';
import {
  betaMean,
  betaVariance,
  probabilityBest,
  sampleBeta,
  sampleGamma,
} from '../../src/core/statistics/posterior.js';
import { seededRandom } from '../support/seeded-random.js';

const DRAWS = 40_000;

function moments(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('sampleGamma', () => {
  it.each([0.4, 1, 2.5, 30])('Gamma(%d) draws have mean and variance equal to the shape', (shape) => {
    const random = seededRandom(7);
    const { mean, variance } = moments(Array.from({ length: DRAWS }, () => sampleGamma(shape, random)));
    // Standard errors: sqrt(shape / n) for the mean; the variance's is about shape * sqrt(2 / n) and more.
    expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / DRAWS));
    expect(Math.abs(variance - shape)).toBeLessThan(0.1 * shape);
  });

  it('rejects a shape that is not positive', () => {
    expect(() => sampleGamma(0, Math.random)).toThrow(RangeError);
    expect(() => sampleGamma(Number.NaN, Math.random)).toThrow(RangeError);
  });
});

describe('sampleBeta', () => {
  it.each([
    [1, 1],
    [2, 8],
    [91, 11],
    [1.5, 300.25],
  ])('Beta(%d, %d) draws match the known mean and variance', (alpha, beta) => {
    const random = seededRandom(11);
    const posterior = { alpha, beta };
    const { mean, variance } = moments(Array.from({ length: DRAWS }, () => sampleBeta(posterior, random)));
    expect(Math.abs(mean - betaMean(posterior))).toBeLessThan(5 * Math.sqrt(betaVariance(posterior) / DRAWS));
    expect(variance / betaVariance(posterior)).toBeGreaterThan(0.93);
    expect(variance / betaVariance(posterior)).toBeLessThan(1.07);
  });

  it('replays the same draws from the same seed', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => sampleBeta({ alpha: 3, beta: 4 }, random));
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });
});

describe('probabilityBest', () => {
  it('sums to 1 and orders models by their evidence', () => {
    const pBest = probabilityBest([
      { alpha: 81, beta: 21 },
      { alpha: 91, beta: 11 },
      { alpha: 2, beta: 2 },
      { alpha: 1, beta: 40 },
    ]);
    expect(pBest.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
    const [good, best, unknown, bad] = pBest as [number, number, number, number];
    expect(best).toBeGreaterThan(unknown);
    expect(unknown).toBeGreaterThan(good);
    expect(good).toBeGreaterThan(bad);
    expect(bad).toBeLessThan(1e-6);
  });

  it('agrees with the exact P(X > Y) for two posteriors of counted trials', () => {
    const first = { alpha: 41, beta: 11 };
    const second = { alpha: 35, beta: 13 };
    const [pFirst] = probabilityBest([first, second]) as [number];
    expect(Math.abs(pFirst - probabilityBetaExceeds(first, second))).toBeLessThan(0.02);
  });

  it('splits evenly between identical posteriors, and gives a lone model 1', () => {
    for (const p of probabilityBest([
      { alpha: 10, beta: 3 },
      { alpha: 10, beta: 3 },
      { alpha: 10, beta: 3 },
    ])) {
      expect(p).toBeCloseTo(1 / 3, 6);
    }
    expect(probabilityBest([{ alpha: 5, beta: 5 }])).toEqual([1]);
  });

  it('stays finite and normalized for posteriors far narrower than the grid', () => {
    const pBest = probabilityBest([
      { alpha: 1e6, beta: 1e5 },
      { alpha: 1e6 + 50_000, beta: 1e5 },
      { alpha: 1, beta: 1 },
    ]);
    expect(pBest.every(Number.isFinite)).toBe(true);
    expect(pBest.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
  });
});
