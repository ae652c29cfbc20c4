import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { betaPosterior, probabilityBetaExceeds } from '../../src/core/statistics/beta.js';
import { logBeta, logGamma } from '../../src/core/statistics/log-gamma.js';
import { seededRandom } from '../support/seeded-random.js';

/** Beta(a, b) for whole a, b: the a-th smallest of a + b - 1 uniforms. */
function sampleBeta(random: () => number, alpha: number, beta: number): number {
  const uniforms = Array.from({ length: alpha + beta - 1 }, random).sort((x, y) => x - y);
  return uniforms[alpha - 1] ?? Number.NaN;
}

describe('logGamma', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(2)).toBeCloseTo(0, 13);
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 13);
  });

  it('satisfies Γ(x + 1) = x Γ(x)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), (x) => {
        const difference = logGamma(x + 1) - logGamma(x) - Math.log(x);
        expect(Math.abs(difference)).toBeLessThan(1e-9 * Math.max(1, Math.abs(logGamma(x))));
      }),
    );
  });
});

describe('probabilityBetaExceeds', () => {
  it('matches closed forms', () => {
    // X ~ Beta(2, 1) has density 2x: P(X > U) = ∫ 2x · x dx = 2/3.
    expect(probabilityBetaExceeds({ alpha: 2, beta: 1 }, { alpha: 1, beta: 1 })).toBeCloseTo(2 / 3, 12);
    expect(probabilityBetaExceeds({ alpha: 1, beta: 1 }, { alpha: 1, beta: 1 })).toBeCloseTo(0.5, 12);
    expect(probabilityBetaExceeds({ alpha: 12, beta: 2 }, { alpha: 1, beta: 1 })).toBeCloseTo(12 / 14, 12);
  });

  it('matches numerical integration (mpmath, 30 digits) to 1e-9', () => {
    const references: Array<[number, number, number, number, number]> = [
      [40, 12, 30, 20, 0.969201877640231],
      [3, 8, 5, 5, 0.129911883781853],
      [101, 3, 95, 9, 0.970785332579795],
      [1, 1, 7, 2, 0.222222222222222],
      [251, 761, 261, 741, 0.260357314306227],
    ];
    for (const [a1, b1, a2, b2, expected] of references) {
      expect(probabilityBetaExceeds({ alpha: a1, beta: b1 }, { alpha: a2, beta: b2 })).toBeCloseTo(expected, 9);
    }
  });

  it('agrees with a seeded Monte-Carlo estimate', () => {
    const random = seededRandom(20_260_301);
    const first = betaPosterior(39, 50);
    const second = betaPosterior(29, 48);
    const draws = 20_000;
    let exceed = 0;
    for (let draw = 0; draw < draws; draw += 1) {
      if (sampleBeta(random, first.alpha, first.beta) > sampleBeta(random, second.alpha, second.beta)) exceed += 1;
    }
    // P is about 0.97, so the estimate's standard error is sqrt(0.97 * 0.03 / 20000) = 0.0012; five of them.
    expect(Math.abs(exceed / draws - probabilityBetaExceeds(first, second))).toBeLessThan(0.006);
  });

  it('gives complementary answers in both directions, within [0, 1]', () => {
    const parameter = fc.integer({ min: 1, max: 400 });
    fc.assert(
      fc.property(parameter, parameter, parameter, parameter, (a1, b1, a2, b2) => {
        const forward = probabilityBetaExceeds({ alpha: a1, beta: b1 }, { alpha: a2, beta: b2 });
        const backward = probabilityBetaExceeds({ alpha: a2, beta: b2 }, { alpha: a1, beta: b1 });
        expect(forward).toBeGreaterThanOrEqual(0);
        expect(forward).toBeLessThanOrEqual(1);
        expect(forward + backward).toBeCloseTo(1, 9);
      }),
    );
  });

  it('stays exact and quick with a hundred thousand trials on each side', () => {
    const started = performance.now();
    const leader = betaPosterior(60_500, 100_000);
    const runnerUp = betaPosterior(60_000, 100_000);
    const probability = probabilityBetaExceeds(leader, runnerUp);
    // Normal approximation of the difference of posteriors: z = 0.005 / 0.0021909 = 2.282.
    expect(probability).toBeCloseTo(0.98876, 3);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('builds posteriors from wins and trials with a uniform prior', () => {
    expect(betaPosterior(7, 10)).toEqual({ alpha: 8, beta: 4 });
  });

  it('refuses parameters that are not positive whole numbers', () => {
    expect(() => probabilityBetaExceeds({ alpha: 0, beta: 1 }, { alpha: 1, beta: 1 })).toThrow(RangeError);
    expect(() => probabilityBetaExceeds({ alpha: 1.5, beta: 1 }, { alpha: 1, beta: 1 })).toThrow(RangeError);
  });
});
