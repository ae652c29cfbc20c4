import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDocument, sealDocument } from '../../src/backends/json/document-file.js';
import { emptyCounters } from '../../src/core/stats.js';
import type { Outcome } from '../../src/core/types.js';
import { compareCounters, verifyStore } from '../../src/core/verify.js';
import { outcomeAt } from '../contract/fixtures.js';
import { collect, journalDir, tempDir as jsonDir, openJson, outcomesNo, TINY } from './json-fixture.js';
import { openTempStore, rawConnection } from './sqlite-fixture.js';

/** Every file under dir with its bytes: verify() must leave them all as they were. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files.set(join(entry.parentPath, entry.name), readFileSync(join(entry.parentPath, entry.name), 'base64'));
  }
  return files;
}

describe('verify on SQLite', () => {
  it('reports a stats row that disagrees with its outcomes, per field, and changes nothing', async () => {
    const store = await openTempStore();
    await store.recordMany([outcomeAt(0, { id: 'a' }), outcomeAt(1, { id: 'b', success: false, costUsd: 0.5 })]);
    const db = rawConnection(store.info.dir);
    db.exec("UPDATE model_stats SET successes = successes + 2, total_cost = total_cost + 1 WHERE model_id = 'gpt-4o'");
    db.exec("INSERT INTO model_stats (task_type, model_id, successes) VALUES ('ghost', 'no-outcomes', 3)");
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.integrity).toEqual([]);
    expect(report.mismatches).toEqual(
      expect.arrayContaining([
        { taskType: 'execute-task', modelId: 'gpt-4o', field: 'successes', stored: 3, recounted: 1 },
        { taskType: 'execute-task', modelId: 'gpt-4o', field: 'totalCost', stored: 1.75, recounted: 0.75 },
        { taskType: 'ghost', modelId: 'no-outcomes', field: 'pair', stored: 'present', recounted: 'absent' },
        { taskType: 'ghost', modelId: 'no-outcomes', field: 'successes', stored: 3, recounted: 0 },
      ]),
    );
    expect(report.mismatches).toHaveLength(4);
    expect((await store.getStats('execute-task', 'gpt-4o'))?.successes).toBe(3);
  });

  it('reports outcomes whose stats row is gone (foreign_key_check), and skips the recount', async () => {
    const store = await openTempStore();
    await store.record(outcomeAt(0, { id: 'orphan', modelId: 'm' }));
    const db = rawConnection(store.info.dir);
    db.exec('PRAGMA foreign_keys = OFF');
    db.exec("DELETE FROM model_stats WHERE model_id = 'm'");
    const report = await store.verify();
    expect(report).toMatchObject({ ok: false, outcomes: 0, mismatches: [] });
    expect(report.integrity[0]).toMatch(/model_outcomes refers to a missing row of model_stats/);
    expect(report.integrity.at(-1)).toMatch(/recount was skipped/);
  });
});

describe('verify on JSON', () => {
  it('reports a damaged journal line and a stray file, and repairs nothing', async () => {
    const dir = await jsonDir();
    const store = await openJson(dir);
    await store.recordMany(outcomesNo(0, 5));
    const journal = readdirSync(journalDir(dir)).find((name) => name.endsWith('.open.jsonl')) ?? '';
    appendFileSync(join(journalDir(dir), journal), '[{"id":"half a line"}]\n');
    writeFileSync(join(journalDir(dir), 'notes.txt'), 'outcomes kept by hand');
    const before = snapshot(dir);
    const report = await store.verify();
    expect(report).toMatchObject({ ok: false, outcomes: 0, mismatches: [] });
    expect(report.integrity).toEqual([
      `${join(journalDir(dir), 'notes.txt')} is not a file of this store: the store ignores what it holds.`,
      expect.stringMatching(/\.open\.jsonl is damaged: the line at byte \d+ is not a valid batch of outcomes\.$/),
      'The recount was skipped: the storage must be repaired first.',
    ]);
    // A read would have quarantined the journal; verify left every file as it was.
    expect(snapshot(dir)).toEqual(before);
  });

  it('reports a checkpoint whose aggregates are not the fold of its segments', async () => {
    const dir = await jsonDir();
    const writer = await openJson(dir, TINY);
    for (let batch = 0; batch < 20; batch += 1) await writer.recordMany(outcomesNo(batch * 10, 10));
    await writer.close();
    const file = join(dir, 'model-perf.checkpoint.json');
    const opened = openDocument(readFileSync(file, 'utf8'));
    const document = JSON.parse(opened.json ?? '') as { stats: Array<{ successes: number }>; checksum?: string };
    expect(document.stats.length).toBeGreaterThan(0);
    const { checksum: _old, ...rest } = document;
    const first = rest.stats[0];
    if (first !== undefined) first.successes += 1;
    // A checkpoint written with a valid checksum but wrong sums: a bug, not damage, and verify must see it.
    writeFileSync(file, sealDocument(JSON.stringify(rest)));
    const store = await openJson(dir, TINY);
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.integrity[0]).toMatch(
      /model-perf\.checkpoint\.json counts successes = \d+ for .* but its segments hold \d+\.$/,
    );
  });

  it('finds a store with outcomes, compactions and journals sound', async () => {
    const dir = await jsonDir();
    const store = await openJson(dir, TINY);
    for (let batch = 0; batch < 30; batch += 1) await store.recordMany(outcomesNo(batch * 7, 7));
    expect(await store.verify()).toMatchObject({ ok: true, outcomes: 210, integrity: [], mismatches: [] });
    expect(await collect(store.outcomes())).toHaveLength(210);
  });
});

describe('verifyStore', () => {
  const outcome = (id: string, timestamp: string): Outcome => ({
    id,
    taskType: 't',
    modelId: 'm',
    success: true,
    timeout: false,
    tokensUsed: 1,
    costUsd: 0,
    latencyMs: null,
    timestamp,
  });

  it('reports an outcome listed twice', async () => {
    const listed = [outcome('a', '2026-01-01T00:00:00.000Z'), outcome('a', '2026-01-01T00:00:00.000Z')];
    const report = await verifyStore({
      backend: 'json',
      checkIntegrity: async () => [],
      readStats: async () => [
        {
          taskType: 't',
          modelId: 'm',
          ...emptyCounters(),
          successes: 2,
          totalTokens: 2,
          tokenSamples: 2,
          costSamples: 2,
          lastUsed: '2026-01-01T00:00:00.000Z',
          samples: 2,
          successRate: 1,
        },
      ],
      readOutcomes: async function* () {
        yield* listed;
      },
      readBaselines: async () => [],
    });
    expect(report).toMatchObject({ ok: false, outcomes: 2, mismatches: [] });
    expect(report.integrity).toEqual(['1 outcome(s) are listed twice, e.g. id a.']);
  });

  it('reads again while another writer changes the stats, and says so when it never settles', async () => {
    let reads = 0;
    const report = await verifyStore({
      backend: 'sqlite',
      checkIntegrity: async () => [],
      readStats: async () => {
        reads += 1;
        return [{ taskType: 't', modelId: 'm', ...emptyCounters(), successes: reads, samples: reads, successRate: 1 }];
      },
      readOutcomes: async function* () {},
      readBaselines: async () => [],
    });
    expect(reads).toBe(6);
    expect(report.ok).toBe(false);
    expect(report.integrity).toEqual([expect.stringMatching(/changed during each of 3 recounts/)]);
  });

  it('compares counts exactly and float sums within a relative tolerance', () => {
    const stored = { ...emptyCounters(), successes: 1e12, totalCost: 0.1 + 0.2 };
    expect(compareCounters('t', 'm', stored, { ...stored, totalCost: 0.3 })).toEqual([]);
    expect(compareCounters('t', 'm', stored, { ...stored, successes: 1e12 - 1 })).toEqual([
      { taskType: 't', modelId: 'm', field: 'successes', stored: 1e12, recounted: 1e12 - 1 },
    ]);
    expect(compareCounters('t', 'm', stored, { ...stored, totalCost: 0.31 })).toHaveLength(1);
  });
});
