import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/core/statistics/wilson.js';

const counts = fc
  .integer({ min: 0, max: 10_000 })
  .chain((trials) => fc.tuple(fc.integer({ min: 0, max: trials }), fc.constant(trials)));
const confidence = fc.double({ min: 0.5, max: 0.999, noNaN: true });

describe('wilsonInterval', () => {
  it('gives the textbook 95% bounds for 5 of 10', () => {
    const { lower, upper } = wilsonInterval(5, 10);
    expect(lower).toBeCloseTo(0.2366, 4);
    expect(upper).toBeCloseTo(0.7634, 4);
  });

  it('does not call a perfect short record certain: 3 of 3 has a lower bound of 0.4385', () => {
    expect(wilsonInterval(3, 3).lower).toBeCloseTo(0.4385, 4);
  });

  it('has lower bound exactly 0 at 0 of n and upper bound exactly 1 at n of n', () => {
    for (const trials of [1, 2, 7, 1000]) {
      expect(wilsonInterval(0, trials).lower).toBe(0);
      expect(wilsonInterval(trials, trials).upper).toBe(1);
    }
  });

  it('knows nothing without trials: [0, 1]', () => {
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });

  it('keeps the bounds within [0, 1] around the observed rate', () => {
    fc.assert(
      fc.property(counts, confidence, ([successes, trials], level) => {
        const { lower, upper } = wilsonInterval(successes, trials, level);
        const rate = trials === 0 ? 0 : successes / trials;
        expect(lower).toBeGreaterThanOrEqual(0);
        expect(upper).toBeLessThanOrEqual(1);
        expect(lower).toBeLessThanOrEqual(rate + 1e-12);
        expect(upper).toBeGreaterThanOrEqual(rate - 1e-12);
      }),
    );
  });

  it('raises both bounds with another success and lowers both with another failure', () => {
    fc.assert(
      fc.property(counts, ([successes, trials]) => {
        const now = wilsonInterval(successes, trials);
        const afterSuccess = wilsonInterval(successes + 1, trials + 1);
        const afterFailure = wilsonInterval(successes, trials + 1);
        expect(afterSuccess.lower).toBeGreaterThanOrEqual(now.lower - 1e-12);
        expect(afterSuccess.upper).toBeGreaterThanOrEqual(now.upper - 1e-12);
        expect(afterFailure.lower).toBeLessThanOrEqual(now.lower + 1e-12);
        expect(afterFailure.upper).toBeLessThanOrEqual(now.upper + 1e-12);
      }),
    );
  });

  it('narrows as n grows at the same rate', () => {
    fc.assert(
      fc.property(counts, fc.integer({ min: 2, max: 50 }), ([successes, trials], factor) => {
        fc.pre(trials > 0);
        const small = wilsonInterval(successes, trials);
        const large = wilsonInterval(successes * factor, trials * factor);
        expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
      }),
    );
  });

  it('widens with the confidence level', () => {
    fc.assert(
      fc.property(counts, ([successes, trials]) => {
        fc.pre(trials > 0);
        const narrow = wilsonInterval(successes, trials, 0.8);
        const wide = wilsonInterval(successes, trials, 0.99);
        expect(wide.lower).toBeLessThanOrEqual(narrow.lower);
        expect(wide.upper).toBeGreaterThanOrEqual(narrow.upper);
      }),
    );
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(-1, 3)).toThrow(RangeError);
    expect(() => wilsonInterval(4, 3)).toThrow(RangeError);
    expect(() => wilsonInterval(Number.NaN, 3)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 3, 1)).toThrow(RangeError);
  });
});
