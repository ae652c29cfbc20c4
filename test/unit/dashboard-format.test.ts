import { describe, expect, it } from 'vitest';
import { linearScale, niceTicks, px, truncate } from '../../src/dashboard/chart.js';
import {
  formatCost,
  formatCount,
  formatDay,
  formatPercent,
  formatSamples,
  formatTickPercent,
  formatTimestamp,
} from '../../src/dashboard/text.js';

describe('dashboard number formats', () => {
  it('writes rates as percentages with one decimal', () => {
    expect([0, 0.8734, 0.99951, 1].map(formatPercent)).toEqual(['0.0%', '87.3%', '100.0%', '100.0%']);
    expect([0, 0.25, 1].map(formatTickPercent)).toEqual(['0%', '25%', '100%']);
  });

  it('writes costs in dollars to 4 significant digits', () => {
    expect([0, 0.012345, 0.0004567, 1.5, 1234.56].map(formatCost)).toEqual([
      '$0',
      '$0.01235',
      '$0.0004567',
      '$1.5',
      '$1,235',
    ]);
  });

  it('writes counts with separators and samples with their unit', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect([1, 2, 1000].map(formatSamples)).toEqual(['1 sample', '2 samples', '1,000 samples']);
  });

  it('writes days and times in UTC', () => {
    expect(formatDay('2026-03-05')).toBe('Mar 5');
    expect(formatTimestamp(new Date('2026-03-15T12:34:56.789Z'))).toBe('2026-03-15 12:34 UTC');
  });
});

describe('dashboard scales', () => {
  it('maps a domain onto a range, and a zero-width domain onto its middle', () => {
    const x = linearScale([0, 1], [100, 300]);
    expect([x(0), x(0.5), x(1)]).toEqual([100, 200, 300]);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(5);
  });

  it('picks round ticks from 0 to at least the maximum', () => {
    expect(niceTicks(0.045)).toEqual([0, 0.02, 0.04, 0.06]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('rounds coordinates to a tenth', () => {
    expect(px(12.3456)).toBe(12.3);
  });

  it('shortens long names by code points, with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghijkl', 5)).toBe('abcd…');
    expect(truncate('🚀🚀🚀🚀🚀🚀', 3)).toBe('🚀🚀…');
  });
});
