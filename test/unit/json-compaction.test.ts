import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { expectRecountMatches } from '../contract/recount.js';
import {
  CHECKPOINT,
  collect,
  filesIn,
  journalDir,
  openJson,
  outcomeNo,
  outcomesNo,
  segmentDir,
  segmentFiles,
  TINY,
  tempDir,
  withIndexFiles,
} from './json-fixture.js';

function checkpointOf(dir: string): { generation: number; segments: Array<{ name: string }> } {
  return JSON.parse(readFileSync(join(dir, CHECKPOINT), 'utf8'));
}

describe('JsonStore compaction', () => {
  it('merges journals into segments and keeps exact counts and outcomes', async () => {
    const dir = await tempDir();
    const store = await openJson(dir, TINY);
    for (let index = 0; index < 300; index += 1) {
      if (index % 50 === 0) await store.recordMany(outcomesNo(1000 + index, 20));
      await store.record(outcomeNo(index));
      // Compaction runs after a journal rotates, on a later tick.
      if (index % 25 === 0) await nextTick();
    }
    const before = {
      stats: await store.listStats(),
      outcomes: await collect(store.outcomes()),
      summary: await store.summarize({ groupBy: 'day+model' }),
    };
    expect(before.outcomes).toHaveLength(420);
    expect(filesIn(segmentDir(dir)).length).toBeGreaterThan(0);
    await expectRecountMatches(store, expect);
    await store.close();

    // Segments stay few: small ones are merged into the next.
    expect(segmentFiles(dir).length).toBeLessThanOrEqual(8);
    // Every listed segment has its id index beside it, and no other file is left.
    expect(filesIn(segmentDir(dir))).toEqual(withIndexFiles(checkpointOf(dir).segments.map((s) => s.name)));
    const reopened = await openJson(dir, TINY);
    expect(await reopened.listStats()).toEqual(before.stats);
    expect(await collect(reopened.outcomes())).toEqual(before.outcomes);
    expect(await reopened.summarize({ groupBy: 'day+model' })).toEqual(before.summary);
  });

  it('recognises an id stored before a compaction', async () => {
    const dir = await tempDir();
    const first = await openJson(dir, TINY);
    const stored = await first.record(outcomeNo(7));
    await first.recordMany(outcomesNo(100, 60));
    await first.close();
    expect(existsSync(join(dir, CHECKPOINT))).toBe(true);
    const second = await openJson(dir, TINY);
    expect(await second.record(outcomeNo(7, { success: false }))).toEqual(stored);
    expect(await second.recordMany([outcomeNo(7), outcomeNo(8)])).toEqual([
      stored,
      expect.objectContaining({ id: 'o-8' }),
    ]);
    expect((await collect(second.outcomes())).length).toBe(62);
    await expectRecountMatches(second, expect);
  });

  it('lets a reader with an older view follow a compaction done by another instance', async () => {
    const dir = await tempDir();
    const reader = await openJson(dir, TINY);
    await reader.record(outcomeNo(0));
    const writers = [await openJson(dir, TINY), await openJson(dir, TINY)];
    for (const [index, writer] of writers.entries()) {
      await writer.recordMany(outcomesNo(100 * (index + 1), 50));
      await writer.close();
    }
    expect(filesIn(segmentDir(dir)).length).toBeGreaterThan(0);
    expect((await collect(reader.outcomes())).length).toBe(101);
    expect((await reader.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(101);
    await reader.record(outcomeNo(1));
    await expectRecountMatches(reader, expect);
  });

  it('ignores and removes an orphan segment left by a compaction that crashed before its checkpoint', async () => {
    const dir = await tempDir();
    const store = await openJson(dir, TINY);
    await store.recordMany(outcomesNo(0, 60));
    await store.close();
    const [segment] = checkpointOf(dir).segments;
    // A copy under another name: what a crashed compaction leaves (its outcomes are counted elsewhere).
    const orphan = 'seg-9999999999-deadbeef.jsonl';
    copyFileSync(join(segmentDir(dir), segment?.name ?? ''), join(segmentDir(dir), orphan));
    writeFileSync(join(segmentDir(dir), 'seg-0000000005-cafef00d.jsonl.1234abcd.tmp'), '[{"half');

    const reopened = await openJson(dir, TINY);
    expect((await collect(reopened.outcomes())).length).toBe(60);
    await reopened.recordMany(outcomesNo(100, 60));
    await reopened.close();
    expect(filesIn(segmentDir(dir))).toEqual(withIndexFiles(checkpointOf(dir).segments.map((s) => s.name)));
    const last = await openJson(dir, TINY);
    expect((await last.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(120);
    await expectRecountMatches(last, expect);
  });

  it('counts once the journals that a crashed compaction merged but did not remove', async () => {
    const dir = await tempDir();
    // Default tuning: no compaction yet, so the journals stay.
    const store = await openJson(dir);
    await store.recordMany(outcomesNo(0, 30));
    await store.close();
    const other = await openJson(dir);
    await other.recordMany(outcomesNo(30, 30));
    await other.close();
    const saved = filesIn(journalDir(dir));
    expect(saved).toHaveLength(2);
    const copies = saved.map((file) => readFileSync(join(journalDir(dir), file)));
    const compactor = await openJson(dir, TINY);
    await compactor.recordMany(outcomesNo(60, 60));
    await compactor.close();
    expect(filesIn(journalDir(dir))).toEqual([]);
    // Put the merged journals back: the state a crash right after the checkpoint rename leaves.
    for (const [index, file] of saved.entries()) writeFileSync(join(journalDir(dir), file), copies[index] ?? '');

    const reopened = await openJson(dir, TINY);
    expect((await collect(reopened.outcomes())).length).toBe(120);
    expect((await reopened.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(120);
    await expectRecountMatches(reopened, expect);
    // The next compaction removes them.
    await reopened.recordMany(outcomesNo(200, 60));
    await reopened.close();
    expect(filesIn(journalDir(dir))).toEqual([]);
    const last = await openJson(dir);
    expect((await last.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(180);
  });

  it('counts once outcomes whose journal was merged while a copy sat in another journal', async () => {
    const dir = await tempDir();
    const first = await openJson(dir);
    await first.recordMany(outcomesNo(0, 20));
    await first.close();
    // The same ids again in a second journal, as two processes racing on one id would leave them.
    const [journal] = filesIn(journalDir(dir));
    const bytes = readFileSync(join(journalDir(dir), journal ?? ''));
    writeFileSync(join(journalDir(dir), (journal ?? '').replace(/^[0-9a-z]{9}/, 'zzzzzzzzz')), bytes);
    const reader = await openJson(dir, TINY);
    expect((await collect(reader.outcomes())).length).toBe(20);
    await reader.recordMany(outcomesNo(100, 40));
    await reader.close();
    const reopened = await openJson(dir, TINY);
    expect((await collect(reopened.outcomes())).length).toBe(60);
    await expectRecountMatches(reopened, expect);
  });

  it("keeps exact counts when another instance's compactions replace the checkpoint under it", async () => {
    const dir = await tempDir();
    const first = await openJson(dir, TINY);
    const second = await openJson(dir, TINY);
    const total = async (store: typeof first): Promise<number> =>
      (await store.listStats()).reduce((sum, row) => sum + row.samples, 0);
    let written = 0;
    for (let round = 0; round < 12; round += 1) {
      await first.recordMany(outcomesNo(round * 30, 30));
      await second.record(outcomeNo(5000 + round));
      written += 31;
      // Compactions of either instance run on a later tick; each reads the other's checkpoint after.
      await nextTick();
      await nextTick();
      expect(await total(second)).toBe(written);
      expect(await total(first)).toBe(written);
    }
    // Ids the segments hold already, written again through the instance that did not write them: counted once.
    await second.recordMany(outcomesNo(0, 60));
    expect(await total(second)).toBe(written);
    await expectRecountMatches(second, expect);
    await first.close();
    await second.close();
    const reopened = await openJson(dir, TINY);
    expect(await total(reopened)).toBe(written);
    expect((await reopened.verify()).ok).toBe(true);
  });
});
