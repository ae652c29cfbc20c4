import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/backends/json/checkpoint.js';
import { sealDocument, sealLine } from '../../src/backends/json/document-file.js';
import { decodeOutcomes } from '../../src/backends/json/outcome-lines.js';
import { matchesQuery } from '../../src/core/summary.js';
import { normalizeOutcomeBatch, normalizeOutcomeQuery } from '../../src/core/validation.js';
import { collect, openJson, outcomeNo, outcomesNo, segmentDir, TINY, tempDir } from './json-fixture.js';

interface ListedSegment {
  name: string;
  span?: { min: string; max: string };
}

function segmentsOf(dir: string): ListedSegment[] {
  return JSON.parse(readFileSync(join(dir, 'model-perf.checkpoint.json'), 'utf8')).segments;
}

describe('JsonStore segment time spans', () => {
  it('lists each segment with the span of its timestamps and skips segments outside a window', async () => {
    const dir = await tempDir();
    const writer = await openJson(dir, TINY);
    // Outcomes an hour apart, written in time order: each segment covers its own stretch of time.
    for (let from = 0; from < 400; from += 20) await writer.recordMany(outcomesNo(from, 20));
    await writer.close();
    const store = await openJson(dir, TINY);
    const all = await collect(store.outcomes());
    const segments = segmentsOf(dir);
    expect(segments.length).toBeGreaterThan(1);
    for (const segment of segments) {
      expect(segment.span).toBeDefined();
      if (segment.span !== undefined) expect(segment.span.min <= segment.span.max).toBe(true);
    }

    const first = segments[0];
    if (first?.span === undefined) throw new Error('no first segment');
    const since = new Date(Date.parse(first.span.max) + 1).toISOString();
    // A window after the first segment never reads it: garbage of the same size goes unnoticed.
    const file = join(segmentDir(dir), first.name);
    writeFileSync(file, Buffer.alloc(statSync(file).size, 'x\n'));
    const window = { since, until: '2026-03-15T00:00:00.000Z' };
    const expected = all.filter((outcome) => matchesQuery(outcome, normalizeOutcomeQuery(window)));
    expect(expected.length).toBeGreaterThan(0);
    expect(await collect(store.outcomes(window))).toEqual(expected);
    const rows = await store.summarize({ groupBy: 'day', ...window });
    expect(rows.reduce((sum, row) => sum + row.trials, 0)).toBe(expected.length);
  });

  it('treats a segment listed without a span as damage, and rebuilds the checkpoint with spans', async () => {
    const dir = await tempDir();
    const writer = await openJson(dir, TINY);
    for (let from = 0; from < 200; from += 20) await writer.recordMany(outcomesNo(from, 20));
    await writer.close();
    const checkpoint = join(dir, 'model-perf.checkpoint.json');
    const document = JSON.parse(readFileSync(checkpoint, 'utf8'));
    for (const segment of document.segments) segment.span = undefined;
    // Re-sealed as the store would, so that only the spans are missing.
    document.checksum = undefined;
    writeFileSync(checkpoint, sealDocument(JSON.stringify(document)));
    expect(readCheckpoint(checkpoint)).toMatchObject({ kind: 'corrupt', problem: expect.stringMatching(/no span$/) });
    const store = await openJson(dir, TINY);
    const window = { since: '2026-03-03T00:00:00.000Z', until: '2026-03-05T00:00:00.000Z' };
    const all = await collect(store.outcomes());
    expect(all).toHaveLength(200);
    const expected = all.filter((outcome) => matchesQuery(outcome, normalizeOutcomeQuery(window)));
    expect(await collect(store.outcomes(window))).toEqual(expected);
  });
});

describe('normalizeOutcomeBatch', () => {
  it('tells whether every id was generated', () => {
    const { id: _id, ...withoutId } = outcomeNo(1);
    expect(normalizeOutcomeBatch([withoutId, withoutId]).freshIds).toBe(true);
    expect(normalizeOutcomeBatch([withoutId, outcomeNo(2)]).freshIds).toBe(false);
  });
});

describe('sealed outcome lines', () => {
  const outcome = { ...outcomeNo(1), latencyMs: null };
  const sealed = (value: unknown): string => sealLine(JSON.stringify(value));

  it('still checks the shape and types of a line whose checksum matches', () => {
    expect(decodeOutcomes(sealed([outcome]))).toEqual([outcome]);
    expect(decodeOutcomes(sealed([{ ...outcome, success: 'true' }]))).toBeUndefined();
    expect(decodeOutcomes(sealed([{ ...outcome, tokensUsed: -1 }]))).toBeUndefined();
    expect(decodeOutcomes(sealed([{ ...outcome, timestamp: '2026-03-01' }]))).toBeUndefined();
    const protoKey = JSON.stringify([outcome]).replace('{"id"', '{"__proto__":1,"id"');
    expect(decodeOutcomes(sealLine(protoKey))).toBeUndefined();
  });
});
