import { describe, expect, it } from 'vitest';
import { fittedRateAxis, logTicks } from '../../src/dashboard/chart.js';
import { detectDrift } from '../../src/dashboard/collect.js';
import { type Box, placeLabels } from '../../src/dashboard/cost-chart.js';
import { seededRandom } from '../support/seeded-random.js';

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

describe('placeLabels', () => {
  it('places the labels of crowded points so that none overlaps another label or any point', () => {
    const random = seededRandom(3);
    for (let round = 0; round < 50; round += 1) {
      // Eight models in a 200 x 120 corner of a 520 x 300 chart: the crowding the demo's cheap models make.
      const points = Array.from({ length: 8 }, () => ({
        x: 60 + random() * 200,
        y: 40 + random() * 120,
        radius: 4 + random() * 10,
        width: 50 + random() * 60,
        height: 15,
      }));
      const bounds = { left: 40, top: 0, right: 520, bottom: 300 };
      const placed = placeLabels(points, bounds);
      const boxes = placed.map((label, index) => {
        const { width, height } = points[index] ?? { width: 0, height: 0 };
        const top = label.baseline - height * 0.78;
        return { left: label.x, top, right: label.x + width, bottom: top + height };
      });
      const circles = points.map((p) => ({
        left: p.x - p.radius,
        top: p.y - p.radius,
        right: p.x + p.radius,
        bottom: p.y + p.radius,
      }));
      boxes.forEach((box, index) => {
        expect(box.left).toBeGreaterThanOrEqual(bounds.left);
        expect(box.right).toBeLessThanOrEqual(bounds.right);
        for (const [other, otherBox] of boxes.entries()) {
          if (other !== index)
            expect(overlaps(box, otherBox), `round ${round}: labels ${index} and ${other}`).toBe(false);
        }
        for (const circle of circles)
          expect(overlaps(box, circle), `round ${round}: label ${index} on a point`).toBe(false);
      });
    }
  });
});

describe('axes', () => {
  it('gives a log cost axis round 1-2-5 ticks that enclose the data, and only powers of ten past 3 decades', () => {
    expect(logTicks(0.0012, 0.034)).toEqual([0.001, 0.002, 0.005, 0.01, 0.02, 0.05]);
    expect(logTicks(0.02, 0.02)).toEqual([0.02, 0.05]);
    expect(logTicks(0.00005, 0.3)).toEqual([0.00001, 0.0001, 0.001, 0.01, 0.1, 1]);
  });

  it('fits the success axis to the rates on tenths, at least 30 points wide, within 0 to 100%', () => {
    expect(fittedRateAxis([0.62, 0.91])).toEqual({ domain: [0.5, 1], ticks: [0.5, 0.6, 0.7, 0.8, 0.9, 1] });
    expect(fittedRateAxis([0.8, 0.82]).domain).toEqual([0.6, 0.9]);
    expect(fittedRateAxis([0.01, 0.99])).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(fittedRateAxis([]).domain).toEqual([0, 1]);
  });
});

describe('detectDrift', () => {
  const days = Array.from({ length: 20 }, (_, index) => `2026-03-${String(index + 1).padStart(2, '0')}`);

  it('flags a model whose rate fell from a day on, naming that day, against all its history before', () => {
    const attempts = days.map(() => 10);
    const wins = days.map((_, index) => (index < 12 ? 9 : 5));
    // 200 samples before the window at 90%, then 12 days at 90% and 8 at 50%.
    const flag = detectDrift({ days, wins, attempts }, { samples: 400, successes: 180 + 148 });
    expect(flag).toMatchObject({ since: '2026-03-13', recentSamples: 80, recentRate: 0.5, earlierSamples: 320 });
    expect(flag?.earlierRate).toBeCloseTo(0.9, 10);
    expect(flag?.pValue).toBeLessThan(1e-6);
  });

  it('flags neither a rise, nor noise, nor a drop on too few samples', () => {
    const attempts = days.map(() => 10);
    const rise = days.map((_, index) => (index < 12 ? 5 : 9));
    expect(detectDrift({ days, wins: rise, attempts }, { samples: 200, successes: 132 })).toBeNull();
    const noise = days.map((_, index) => (index % 2 === 0 ? 8 : 9));
    expect(detectDrift({ days, wins: noise, attempts }, { samples: 200, successes: 170 })).toBeNull();
    const few = days.map((_, index) => (index === 19 ? 2 : 0));
    const fewWins = days.map(() => 0);
    expect(detectDrift({ days, wins: fewWins, attempts: few }, { samples: 100, successes: 90 })).toBeNull();
  });
});
