import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { readSnapshot, SNAPSHOT_EVERY_WRITES, SNAPSHOT_FILE } from '../../src/core/snapshot.js';
import { outcomeAt } from '../contract/fixtures.js';
import { baseline, legacySource } from '../contract/import-fixtures.js';
import { captureLogger } from '../support/capture-logger.js';
import { tempDir } from './sqlite-fixture.js';

/** Waits for the background snapshot write that a write just started. */
async function snapshotOf(dir: string): Promise<Awaited<ReturnType<typeof readSnapshot>>> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const snapshot = await readSnapshot(dir);
    if (snapshot !== undefined) return snapshot;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}

describe('SqliteStore aggregate snapshot', () => {
  it('writes the stats, baselines included, when it closes', async () => {
    const dir = await tempDir();
    const store = await openSqliteStore({ dir, logger: captureLogger() });
    await store.recordMany([outcomeAt(1, { id: 'a' }), outcomeAt(2, { id: 'b', modelId: 'claude' })]);
    await store.importBaselines(legacySource('legacy'), [baseline('execute-task', 'gpt-4o')]);
    const stats = await store.listStats();
    expect(await readSnapshot(dir)).toBeUndefined();
    await store.close();
    const snapshot = await readSnapshot(dir);
    expect(snapshot?.entries).toEqual(stats.map(({ samples: _samples, successRate: _rate, ...counters }) => counters));
    expect(Date.parse(snapshot?.writtenAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it(`writes it every ${SNAPSHOT_EVERY_WRITES} successful writes, without waiting for close`, async () => {
    const dir = await tempDir();
    const store = await openSqliteStore({ dir, logger: captureLogger() });
    try {
      for (let index = 0; index < SNAPSHOT_EVERY_WRITES - 1; index += 1) await store.record(outcomeAt(index));
      // A failed write is not a successful one: it must not count.
      await expect(store.record({ taskType: '', modelId: 'm', success: true })).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await readSnapshot(dir)).toBeUndefined();
      await store.record(outcomeAt(0, { modelId: 'last' }));
      const snapshot = await snapshotOf(dir);
      expect(snapshot?.entries.map((entry) => [entry.modelId, entry.successes])).toEqual([
        ['gpt-4o', SNAPSHOT_EVERY_WRITES - 1],
        ['last', 1],
      ]);
    } finally {
      await store.close();
    }
  });

  it('reports a snapshot it cannot write as a warning; writes and close still succeed', async () => {
    const dir = await tempDir();
    // A directory where the file should be: the rename over it fails.
    mkdirSync(join(dir, SNAPSHOT_FILE, 'occupied'), { recursive: true });
    const logger = captureLogger();
    const store = await openSqliteStore({ dir, logger });
    await store.record(outcomeAt(0));
    await store.close();
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(/^Could not write the stats snapshot in .+ next snapshot retries\.$/),
      },
    ]);
  });
});
