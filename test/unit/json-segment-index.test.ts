import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashId, IndexBuilder, SegmentIndex } from '../../src/backends/json/segment-index.js';
import { expectRecountMatches } from '../contract/recount.js';
import { collect, openJson, outcomesNo, segmentDir, segmentFiles, TINY, tempDir } from './json-fixture.js';

const indexOf = (segment: string): string => segment.replace(/\.jsonl$/, '.idx');

describe('the id index of JSON segments', () => {
  it('finds every id it was built with, at its line, and no other', () => {
    const builder = new IndexBuilder();
    for (let n = 0; n < 5000; n += 1) builder.add(`id-${n}`, n * 100);
    const index = SegmentIndex.build(builder);
    expect(index.count).toBe(5000);
    for (const n of [0, 1, 2500, 4999]) expect(index.candidates(`id-${n}`)).toEqual([n * 100]);
    for (const absent of ['id-5000', 'id--1', '', 'ID-1']) expect(index.candidates(absent)).toEqual([]);
    const decoded = SegmentIndex.decode(new Uint8Array(index.encode(123_456)), 123_456, 5000);
    expect(decoded?.candidates('id-2500')).toEqual([250_000]);
    // Made for another segment, or damaged: refused, so that it is rebuilt.
    expect(SegmentIndex.decode(new Uint8Array(index.encode(123_456)), 123_457, 5000)).toBeUndefined();
    const damaged = index.encode(123_456);
    damaged[damaged.length - 5] = (damaged[damaged.length - 5] ?? 0) ^ 0xff;
    expect(SegmentIndex.decode(new Uint8Array(damaged), 123_456, 5000)).toBeUndefined();
  });

  it('spreads ids over 64 bits: no two of 200,000 ids share a hash', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 200_000; n += 1)
      seen.add(hashId(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`).join(':'));
    expect(seen.size).toBe(200_000);
  });

  it('rebuilds a damaged or missing index file from its segment, and still counts each id once', async () => {
    const dir = await tempDir();
    const store = await openJson(dir, TINY);
    await store.recordMany(outcomesNo(0, 200));
    await store.close();
    const segments = segmentFiles(dir);
    expect(segments.length).toBeGreaterThan(0);
    const files = segments.map((segment) => join(segmentDir(dir), indexOf(segment)));
    const original = files.map((file) => readFileSync(file));
    writeFileSync(files[0] ?? '', 'not an index');
    if (files.length > 1) unlinkSync(files[1] ?? '');

    const reopened = await openJson(dir, TINY);
    // Ids already in segments: recorded again, they count once.
    await reopened.recordMany(outcomesNo(0, 200));
    expect((await reopened.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(200);
    expect(await collect(reopened.outcomes())).toHaveLength(200);
    await expectRecountMatches(reopened, expect);
    expect((await reopened.verify()).ok).toBe(true);
    await reopened.close();
    // Rebuilt the same, byte for byte (the index is a function of its segment).
    for (const [index, file] of files.entries()) {
      if (segmentFiles(dir).includes(segments[index] ?? '')) expect(readFileSync(file)).toEqual(original[index]);
    }
  });
});
