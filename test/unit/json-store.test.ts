import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION } from '../../src/backends/json/checkpoint.js';
import { JsonStore, openJsonStore } from '../../src/backends/json/index.js';
import { LOCAL_HOST } from '../../src/backends/json/layout.js';
import { encodeOutcomes } from '../../src/backends/json/outcome-lines.js';
import { normalizeOutcome } from '../../src/core/validation.js';
import { expectRecountMatches } from '../contract/recount.js';
import { collect, filesIn, journalDir, openJson, outcomeNo, outcomesNo, tempDir } from './json-fixture.js';

describe('JsonStore', () => {
  it('round-trips outcomes, stats and summaries, and keeps them across a reopen', async () => {
    const dir = await tempDir();
    const store = await openJson(dir);
    for (let index = 0; index < 40; index += 1) await store.record(outcomeNo(index));
    await store.recordMany(outcomesNo(40, 60));
    const before = {
      stats: await store.listStats(),
      outcomes: await collect(store.outcomes()),
      summary: await store.summarize({ groupBy: 'day+model', taskType: 'task-1' }),
    };
    expect(before.outcomes).toHaveLength(100);
    expect(before.stats.reduce((sum, row) => sum + row.samples, 0)).toBe(100);
    await expectRecountMatches(store, expect);
    await store.close();

    const reopened = await openJson(dir);
    expect(await reopened.listStats()).toEqual(before.stats);
    expect(await collect(reopened.outcomes())).toEqual(before.outcomes);
    expect(await reopened.summarize({ groupBy: 'day+model', taskType: 'task-1' })).toEqual(before.summary);
  });

  it('filters, orders and limits outcomes like a sort of everything would', async () => {
    const store = await openJson(await tempDir());
    // Written out of time order, with equal timestamps broken by id.
    const inputs = outcomesNo(0, 200).map((input, index) => ({
      ...input,
      timestamp: new Date(Date.UTC(2026, 0, 1) + ((index * 37) % 50) * 60_000).toISOString(),
    }));
    await store.recordMany(inputs.slice(0, 120));
    for (const input of inputs.slice(120)) await store.record(input);
    const all = await collect(store.outcomes());
    const sorted = [...all].sort((a, b) => a.timestamp.localeCompare(b.timestamp) || (a.id < b.id ? -1 : 1));
    expect(all).toEqual(sorted);
    expect(await collect(store.outcomes({ limit: 7 }))).toEqual(sorted.slice(0, 7));
    expect(await collect(store.outcomes({ order: 'desc', limit: 9 }))).toEqual([...sorted].reverse().slice(0, 9));
    expect(await collect(store.outcomes({ limit: 0 }))).toEqual([]);
    const since = sorted[50]?.timestamp ?? '';
    const until = sorted[150]?.timestamp ?? '';
    const window = sorted.filter((o) => o.modelId === 'model-1' && o.timestamp >= since && o.timestamp < until);
    expect(await collect(store.outcomes({ modelId: 'model-1', since, until }))).toEqual(window);
  });

  it('lets two instances in one process see each other, and counts a repeated id once across them', async () => {
    const dir = await tempDir();
    const first = await openJson(dir);
    const second = await openJson(dir);
    const stored = await first.record(outcomeNo(1));
    expect(await second.getStats('task-1', 'model-1')).toMatchObject({ samples: 1 });
    expect(await second.record(outcomeNo(1, { success: false, modelId: 'other' }))).toEqual(stored);
    await second.recordMany([outcomeNo(2), outcomeNo(1), outcomeNo(2, { success: false })]);
    for (const store of [first, second]) {
      expect((await collect(store.outcomes())).map((o) => o.id)).toEqual(['o-1', 'o-2']);
      await expectRecountMatches(store, expect);
    }
    expect(await first.getStats('task-1', 'other')).toBeUndefined();
  });

  it('counts an id that two writers raced on once, the same copy in every instance', async () => {
    const dir = await tempDir();
    const reader = await openJson(dir);
    const copy = (success: boolean): string => encodeOutcomes([{ ...normalizeOutcome(outcomeNo(1)), success }]);
    mkdirSync(journalDir(dir));
    // Two journals of live writers (this process), the later-sorting one seen first.
    writeFileSync(join(journalDir(dir), `000000002-${LOCAL_HOST}-${process.pid}-0000000b.open.jsonl`), copy(false));
    expect(await reader.getStats('task-1', 'model-1')).toMatchObject({ successes: 0, failures: 1 });
    writeFileSync(join(journalDir(dir), `000000001-${LOCAL_HOST}-${process.pid}-0000000a.open.jsonl`), copy(true));
    const expected = { successes: 1, failures: 0, samples: 1 };
    expect(await reader.getStats('task-1', 'model-1')).toMatchObject(expected);
    expect(await (await openJson(dir)).getStats('task-1', 'model-1')).toMatchObject(expected);
    expect(await reader.record(outcomeNo(1))).toMatchObject({ success: true });
  });

  it("catches up on another writer's lines in slices, letting the event loop run between them", async () => {
    const dir = await tempDir();
    const reader = await openJson(dir);
    await reader.getStats('task-0', 'model-0');
    const writer = await openJson(dir);
    // One outcome per line, as record() writes them: 20,000 lines to fold, far more than one slice.
    for (let start = 0; start < 20_000; start += 1_000) {
      for (const input of outcomesNo(start, 1_000)) await writer.record(input);
    }
    let turns = 0;
    let watching = true;
    const countTurns = (): void => {
      turns += 1;
      if (watching) setImmediate(countTurns);
    };
    setImmediate(countTurns);
    const stats = await reader.listStats();
    watching = false;
    expect(stats.reduce((sum, row) => sum + row.samples, 0)).toBe(20_000);
    // A catch-up in one synchronous piece would let the loop turn once at most.
    expect(turns).toBeGreaterThan(3);
    await expectRecountMatches(reader, expect);
  });
  it('describes itself, and passes the selection through', async () => {
    const dir = await tempDir();
    const direct = await openJson(dir);
    expect(direct.info).toEqual({
      backend: 'json',
      degraded: false,
      reason: 'JSON: opened directly',
      dir,
      files: [
        join(dir, 'model-perf.checkpoint.json'),
        join(dir, 'segments'),
        join(dir, 'journal'),
        join(dir, 'model-perf.imports.json'),
      ],
      schemaVersion: CHECKPOINT_VERSION,
      nodeVersion: process.versions.node,
      sqliteVersion: null,
      warnings: [],
    });
    const selection = { reason: 'JSON (fallback): SQLite failed', degraded: true, warnings: ['SQLite failed'] };
    const fallback = await openJsonStore({ dir, selection });
    await fallback.close();
    expect(fallback.info).toMatchObject(selection);
  });

  it('creates the dir, writes a journal of its own, and seals it on close', async () => {
    const dir = join(await tempDir(), 'nested', 'store');
    const store = await openJson(dir);
    expect(filesIn(journalDir(dir))).toEqual([]);
    await store.record(outcomeNo(0));
    expect(filesIn(journalDir(dir))).toEqual([expect.stringMatching(/\.open\.jsonl$/)]);
    await store.close();
    const sealed = filesIn(journalDir(dir));
    expect(sealed).toEqual([expect.not.stringMatching(/\.open\./)]);
    expect(sealed[0]).toMatch(/^[0-9a-z]{9}-.+-\d+-[0-9a-f]{8}\.jsonl$/);
  });

  it("works with durability 'full'", async () => {
    const dir = await tempDir();
    const store = await JsonStore.open({ dir, durability: 'full' });
    await store.recordMany(outcomesNo(0, 5));
    await store.close();
    const reopened = await openJson(dir);
    expect((await reopened.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(5);
  });

  it('checks its options', async () => {
    await expect(openJsonStore(null as never)).rejects.toThrow(TypeError);
    await expect(openJsonStore({ dir: '' })).rejects.toMatchObject({ code: 'MP_CONFIG', field: 'dir' });
    const dir = await tempDir();
    await expect(openJsonStore({ dir, durability: 'fast' as never })).rejects.toMatchObject({ code: 'MP_CONFIG' });
    await expect(openJsonStore({ dir, busyTimeoutMs: -1 })).rejects.toMatchObject({ code: 'MP_CONFIG' });
  });

  it('refuses files written by a newer model-perf', async () => {
    const dir = await tempDir();
    const checkpoint = {
      format: 'model-perf-json-checkpoint',
      version: CHECKPOINT_VERSION + 1,
      generation: 1,
      token: 'x',
    };
    writeFileSync(join(dir, 'model-perf.checkpoint.json'), JSON.stringify(checkpoint));
    await expect(openJsonStore({ dir })).rejects.toMatchObject({ code: 'MP_BACKEND_UNAVAILABLE' });
    expect(existsSync(join(dir, 'model-perf.checkpoint.json'))).toBe(true);
  });
});
