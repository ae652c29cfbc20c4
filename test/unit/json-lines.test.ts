import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { journalFileName, newJournalId, parseJournalFileName } from '../../src/backends/json/layout.js';
import { LineSplitter } from '../../src/backends/json/line-reader.js';
import { decodeOutcomes, encodeOutcomes, isTimestamp } from '../../src/backends/json/outcome-lines.js';
import { BoundedSelection } from '../../src/backends/json/reads.js';
import type { Outcome } from '../../src/core/types.js';

const OUTCOME: Outcome = {
  id: 'id-1',
  taskType: '__proto__',
  modelId: 'モデル 🚀',
  success: true,
  timeout: false,
  tokensUsed: 12,
  costUsd: 0.25,
  latencyMs: null,
  timestamp: '2026-03-01T00:00:00.000Z',
};

describe('outcome lines', () => {
  it('encodes a batch as one line and decodes it back, hostile names as data', () => {
    const line = encodeOutcomes([OUTCOME, { ...OUTCOME, id: 'id-2', latencyMs: 3.5 }]);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(decodeOutcomes(line.slice(0, -1))).toEqual([OUTCOME, { ...OUTCOME, id: 'id-2', latencyMs: 3.5 }]);
  });

  it.each([
    ['not JSON', '[{"id":'],
    ['an empty batch', '[]'],
    ['an object, not a batch', JSON.stringify(OUTCOME)],
    ['a missing field', JSON.stringify([{ ...OUTCOME, timeout: undefined }])],
    ['an extra field', JSON.stringify([{ ...OUTCOME, extra: 1 }])],
    ['a __proto__ key', JSON.stringify([OUTCOME]).replace('{"id"', '{"__proto__":1,"id"')],
    ['a string for a boolean', JSON.stringify([{ ...OUTCOME, success: 'true' }])],
    ['negative tokens', JSON.stringify([{ ...OUTCOME, tokensUsed: -1 }])],
    ['fractional tokens', JSON.stringify([{ ...OUTCOME, tokensUsed: 1.5 }])],
    ['a blank name', JSON.stringify([{ ...OUTCOME, modelId: ' ' }])],
    ['a control character', JSON.stringify([{ ...OUTCOME, taskType: 'a\u0007' }])],
    ['an empty id', JSON.stringify([{ ...OUTCOME, id: '' }])],
    ['a non-ISO timestamp', JSON.stringify([{ ...OUTCOME, timestamp: '2026-03-01' }])],
    ['an impossible date', JSON.stringify([{ ...OUTCOME, timestamp: '2026-02-30T00:00:00.000Z' }])],
    ['a month 13', JSON.stringify([{ ...OUTCOME, timestamp: '2026-13-01T00:00:00.000Z' }])],
  ])('rejects %s', (_label, line) => {
    expect(decodeOutcomes(line)).toBeUndefined();
  });
});

describe('isTimestamp', () => {
  const roundTrips = (text: string): boolean => {
    const time = Date.parse(text);
    return !Number.isNaN(time) && new Date(time).toISOString() === text;
  };

  it('accepts what Date#toISOString gives for years 0000-9999', () => {
    const min = new Date('0000-01-01T00:00:00.000Z');
    const max = new Date('9999-12-31T23:59:59.999Z');
    fc.assert(fc.property(fc.date({ min, max, noInvalidDate: true }), (date) => isTimestamp(date.toISOString())));
  });

  it('agrees with a Date round trip on look-alike strings', () => {
    const field = (max: number, width: number) =>
      fc.integer({ min: 0, max }).map((value) => String(value).padStart(width, '0'));
    const text = fc
      .tuple(field(9999, 4), field(14, 2), field(32, 2), field(25, 2), field(61, 2), field(61, 2), field(999, 3))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    fc.assert(
      fc.property(text, (candidate) => isTimestamp(candidate) === roundTrips(candidate)),
      { numRuns: 5000 },
    );
    for (const odd of ['2024-02-29T00:00:00.000Z', '2100-02-29T00:00:00.000Z', '2026-03-01T00:00:00.000+00:00']) {
      expect(isTimestamp(odd), odd).toBe(roundTrips(odd));
    }
  });
});

describe('LineSplitter', () => {
  it('finds complete lines across chunk boundaries, with their offsets, and holds back a torn tail', () => {
    const text = 'first\nsécond line\n\nthird';
    const bytes = Buffer.from(text);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const splitter = new LineSplitter(100);
      const lines: Array<[string, number]> = [];
      const visit = (line: string, offset: number): boolean => {
        lines.push([line, offset]);
        return true;
      };
      splitter.push(bytes.subarray(0, cut), visit);
      splitter.push(bytes.subarray(cut), visit);
      expect(lines).toEqual([
        ['first', 100],
        ['sécond line', 106],
        ['', 119],
      ]);
      expect(splitter.end).toBe(120);
    }
  });

  it('stops when the visitor says so', () => {
    const splitter = new LineSplitter(0);
    const seen: string[] = [];
    splitter.push(Buffer.from('a\nb\nc\n'), (line) => {
      seen.push(line);
      return line !== 'b';
    });
    expect(seen).toEqual(['a', 'b']);
    expect(splitter.end).toBe(4);
  });
});

describe('BoundedSelection', () => {
  it('keeps the first n items of a stream in order', () => {
    const values = Array.from({ length: 500 }, (_, index) => (index * 7919) % 1009);
    for (const limit of [1, 2, 10, 499, 500, 800]) {
      const selection = new BoundedSelection<number>(limit, (a, b) => a - b);
      for (const value of values) selection.offer(value);
      expect(selection.sorted()).toEqual([...values].sort((a, b) => a - b).slice(0, limit));
    }
  });
});

describe('journal names', () => {
  it('name the writer and sort in creation order', () => {
    const ids = Array.from({ length: 50 }, () => newJournalId());
    expect([...ids].sort()).toEqual(ids);
    const [id = ''] = ids;
    expect(parseJournalFileName(journalFileName(id, false))).toEqual({
      id,
      host: expect.any(String),
      pid: process.pid,
      sealed: false,
    });
    expect(parseJournalFileName(journalFileName(id, true))?.sealed).toBe(true);
    expect(parseJournalFileName('0mwxw5l9b-host-with-dashes-42-01390ef9.jsonl')).toMatchObject({
      host: 'host-with-dashes',
      pid: 42,
    });
    expect(parseJournalFileName('notes.jsonl')).toBeUndefined();
  });
});
