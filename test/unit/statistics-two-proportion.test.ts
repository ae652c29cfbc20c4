import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { twoProportionZTest } from '../../src/core/statistics/two-proportion.js';

const proportion = fc
  .integer({ min: 1, max: 5000 })
  .chain((trials) => fc.record({ wins: fc.integer({ min: 0, max: trials }), trials: fc.constant(trials) }));

describe('twoProportionZTest', () => {
  it('matches a hand computation: 45 of 100 against 30 of 100', () => {
    // pooled p = 75/200 = 0.375; SE = sqrt(0.375 * 0.625 * (1/100 + 1/100)) = 0.0684653;
    // z = (0.45 - 0.30) / SE = 2.190890; two-sided p = erfc(z / sqrt 2) = 0.0284597 (mpmath).
    const { z, pValue } = twoProportionZTest({ wins: 45, trials: 100 }, { wins: 30, trials: 100 });
    expect(z).toBeCloseTo(2.19089023002066, 10);
    expect(pValue).toBeCloseTo(0.0284597369163106, 10);
  });

  it('matches a hand computation with unequal sizes: 18 of 40 against 30 of 50', () => {
    const { z, pValue } = twoProportionZTest({ wins: 18, trials: 40 }, { wins: 30, trials: 50 });
    expect(z).toBeCloseTo(-1.4173667737846, 10);
    expect(pValue).toBeCloseTo(0.156375721759645, 10);
  });

  it('sees no difference without trials or when every trial agreed', () => {
    expect(twoProportionZTest({ wins: 0, trials: 0 }, { wins: 3, trials: 5 })).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionZTest({ wins: 9, trials: 9 }, { wins: 4, trials: 4 })).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionZTest({ wins: 0, trials: 9 }, { wins: 0, trials: 4 })).toEqual({ z: 0, pValue: 1 });
  });

  it('is symmetric and gives a p-value within [0, 1]', () => {
    fc.assert(
      fc.property(proportion, proportion, (a, b) => {
        const forward = twoProportionZTest(a, b);
        const backward = twoProportionZTest(b, a);
        expect(forward.pValue).toBeGreaterThanOrEqual(0);
        expect(forward.pValue).toBeLessThanOrEqual(1);
        expect(backward.pValue).toBeCloseTo(forward.pValue, 12);
        expect(backward.z).toBeCloseTo(-forward.z, 12);
      }),
    );
  });

  it('refuses impossible counts', () => {
    expect(() => twoProportionZTest({ wins: 5, trials: 3 }, { wins: 1, trials: 2 })).toThrow(RangeError);
  });
});
