import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erfc } from '../../src/core/statistics/erfc.js';
import { normalQuantile, zForConfidence } from '../../src/core/statistics/normal-quantile.js';

// Reference values from mpmath at 30 digits: sqrt(2) * erfinv(2p - 1) and erfc(x).
describe('normalQuantile', () => {
  it('gives the z of the usual confidence levels', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.9599639845400543, 13);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829303548901, 13);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446006, 13);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('is accurate in the far tail', () => {
    expect(normalQuantile(0.000001)).toBeCloseTo(-4.753424308822899, 12);
  });

  it('is odd around 0.5', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 0.5, noNaN: true }), (p) => {
        // 1 - p rounds by up to 1e-16, which moves z by 1e-16 / φ(z): far from 1e-9 above p = 1e-6.
        expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 9);
      }),
    );
  });

  it('inverts the normal distribution function computed independently with erfc', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        const z = normalQuantile(p);
        const cdf = erfc(-z / Math.SQRT2) / 2;
        expect(Math.abs(cdf - p) / Math.min(p, 1 - p)).toBeLessThan(1e-9);
      }),
    );
  });

  it('maps 0 and 1 to infinities and refuses probabilities outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    for (const bad of [-0.1, 1.1, Number.NaN]) expect(() => normalQuantile(bad)).toThrow(RangeError);
  });
});

describe('zForConfidence', () => {
  it('is the two-sided z', () => {
    expect(zForConfidence(0.95)).toBeCloseTo(1.959964, 6);
    expect(zForConfidence(0.99)).toBeCloseTo(2.575829, 6);
  });

  it('refuses levels outside (0, 1)', () => {
    for (const bad of [0, 1, -1, 95, Number.NaN]) expect(() => zForConfidence(bad)).toThrow(RangeError);
  });
});

describe('erfc', () => {
  it('matches reference values on both sides of the series/continued-fraction switch', () => {
    const references: Array<[number, number]> = [
      [0.1, 0.8875370839817152],
      [1.5, 0.033894853524689274],
      [2.9, 0.00004109787809945884],
      [3.5, 7.430983723414128e-7],
      [6, 2.1519736712498913e-17],
    ];
    for (const [x, expected] of references) {
      expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-13);
    }
  });

  it('is 1 at 0 and satisfies erfc(-x) = 2 - erfc(x)', () => {
    expect(erfc(0)).toBe(1);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 30, noNaN: true }), (x) => {
        expect(erfc(-x)).toBeCloseTo(2 - erfc(x), 14);
      }),
    );
  });

  it('decreases from 2 to 0', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (x, step) => {
          expect(erfc(x + step)).toBeLessThanOrEqual(erfc(x));
          expect(erfc(x)).toBeGreaterThanOrEqual(0);
          expect(erfc(x)).toBeLessThanOrEqual(2);
        },
      ),
    );
  });
});
