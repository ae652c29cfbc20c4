import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { SNAPSHOT_FILE, writeSnapshot } from '../../src/core/snapshot.js';
import { emptyCounters, toModelStats } from '../../src/core/stats.js';
import type { ModelStats } from '../../src/core/types.js';
import { openStore } from '../../src/index.js';
import { expectRecountMatches } from '../contract/recount.js';
import { captureLogger } from '../support/capture-logger.js';
import { collect, openJson, outcomeNo, tempDir } from './json-fixture.js';

const WRITTEN_AT = new Date('2026-03-10T08:00:00.000Z');

function counters(successes: number, failures: number) {
  return {
    ...emptyCounters(),
    successes,
    failures,
    timeouts: 1,
    totalTokens: 500,
    tokenSamples: successes + failures,
    totalCost: 1.5,
    costSamples: successes + failures,
    totalLatencyMs: 900,
    latencySamples: 3,
    lastUsed: '2026-03-09T00:00:00.000Z',
  };
}

/** Every file under dir, with its content: to show the snapshot's counts never reach the JSON files. */
function contents(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== SNAPSHOT_FILE)
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('JsonStore started from a SQLite snapshot', () => {
  it('adds the snapshot as a read-only baseline and says so in info.warnings', async () => {
    const dir = await tempDir();
    await writeSnapshot(dir, [toModelStats('task-1', 'model-1', counters(70, 30))], WRITTEN_AT);
    const logger = captureLogger();
    const store = await openJson(dir, {}, logger);
    expect(store.info.warnings).toEqual([
      'Started from the SQLite stats snapshot written at 2026-03-10T08:00:00.000Z: its 1 task/model pairs count as a read-only baseline in this JSON session.',
    ]);
    expect(logger.lines.map((line) => line.level)).toEqual(['info']);
    await store.record(outcomeNo(1));
    expect(await store.getStats('task-1', 'model-1')).toMatchObject({
      successes: 71,
      failures: 30,
      timeouts: 1,
      // The later of the snapshot's and the outcome's.
      lastUsed: '2026-03-09T00:00:00.000Z',
      // Baselines carry no latency: the average is that of this session's outcomes.
      latencySamples: 1,
    });
    expect(await store.listBaselines()).toEqual([
      expect.objectContaining({ sourceId: 'sqlite-snapshot:2026-03-10T08:00:00.000Z', successes: 70 }),
    ]);
    expect(await store.listImports()).toEqual([]);
    expect(await collect(store.outcomes())).toHaveLength(1);
    await expectRecountMatches(store, expect);
    await store.close();
    expect(contents(dir)).not.toContain('"successes":70');
    rmSync(join(dir, SNAPSHOT_FILE));
    const without = await openJson(dir);
    expect(await without.getStats('task-1', 'model-1')).toMatchObject({ successes: 1, failures: 0 });
  });

  it('starts without a damaged snapshot, with a warning', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, SNAPSHOT_FILE), '{"format":"model-perf-stats-snapshot","version":1,"entr');
    const logger = captureLogger();
    const store = await openJson(dir, {}, logger);
    expect(store.info.warnings).toEqual([
      expect.stringMatching(/^The SQLite stats snapshot in .+ could not be used \(.+damaged/),
    ]);
    expect(logger.lines.map((line) => line.level)).toEqual(['warn']);
    await store.record(outcomeNo(1));
    expect(await store.listStats()).toHaveLength(1);
  });

  it('rejects a snapshot entry with an invalid name as damage', async () => {
    const dir = await tempDir();
    await writeSnapshot(dir, [toModelStats('task\n1', 'model-1', counters(1, 0))], WRITTEN_AT);
    const store = await openJson(dir);
    expect(store.info.warnings).toEqual([expect.stringContaining('could not be used')]);
    expect(await store.listStats()).toEqual([]);
  });

  it('continues the rankings of a SQLite store that closed in the same dir', async () => {
    const dir = await tempDir();
    const sqlite = await openSqliteStore({ dir, logger: silentLogger });
    await sqlite.recordMany(Array.from({ length: 20 }, (_, index) => outcomeNo(index)));
    const before = await sqlite.listStats();
    await sqlite.close();
    const json = await openJson(dir);
    const strip = (rows: typeof before) =>
      rows.map(({ totalLatencyMs: _sum, latencySamples: _count, ...rest }) => rest);
    expect(strip(await json.listStats())).toEqual(strip(before));
  });

  it('stacks its outcomes on the snapshot recency counters, as one store recording them all would', async () => {
    const pair = { taskType: 'task-1', modelId: 'model-1' };
    const before = Array.from({ length: 12 }, (_, index) => outcomeNo(index, { ...pair, success: index % 3 !== 0 }));
    const after = Array.from({ length: 6 }, (_, index) => outcomeNo(100 + index, { ...pair, success: index < 2 }));
    const reference = await openSqliteStore({ dir: await tempDir(), logger: silentLogger });
    await reference.recordMany([...before, ...after]);
    const expected = await reference.getStats('task-1', 'model-1');
    await reference.close();
    const recency = (stats: ModelStats | undefined) => {
      expect(stats).toBeDefined();
      const { fastSuccesses, fastFailures, slowSuccesses, slowFailures } = stats ?? emptyCounters();
      return [fastSuccesses, fastFailures, slowSuccesses, slowFailures].map((value) => value.toFixed(9));
    };

    const dir = await tempDir();
    const sqlite = await openSqliteStore({ dir, logger: silentLogger });
    await sqlite.recordMany(before);
    await sqlite.close();
    const json = await openJson(dir);
    for (const outcome of after) await json.record(outcome);
    await json.record(outcomeNo(200, { taskType: 'task-1', modelId: 'model-2' }));
    expect(recency(await json.getStats('task-1', 'model-1'))).toEqual(recency(expected));
    const [listed] = await json.listStats({ modelId: 'model-1' });
    expect(recency(listed)).toEqual(recency(expected));
    await json.close();
    // SQLite takes over again: absorbing the session's outcomes steps its own counters the same way.
    const again = await openStore({ dir, backend: 'sqlite', fallback: false, logger: silentLogger });
    expect(recency(await again.getStats('task-1', 'model-1'))).toEqual(recency(expected));
    await again.close();
  });
});
