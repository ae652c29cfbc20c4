import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { SCHEMA_VERSION } from '../../src/backends/sqlite/schema.js';
import { silentLogger } from '../../src/core/logger.js';
import { FAST_DECAY } from '../../src/core/recency.js';
import { afterTest, queryRows, rawConnection, tempDir } from './sqlite-fixture.js';

/** The schema as version 1 created it: tokens and cost NOT NULL, no value counts, no recency counters. */
const SCHEMA_V1 = readFileSync(new URL('../fixtures/sqlite-schema-v1.sql', import.meta.url), 'utf8');

/** A version 1 database with two outcomes of one pair and a legacy baseline of another. */
function writeVersion1(dir: string): void {
  const db = rawConnection(dir);
  db.exec(SCHEMA_V1);
  db.exec(`
INSERT INTO model_stats VALUES ('execute-task', 'gpt-4o', 1, 1, 0, 300, 0.5, 800, 1, '2026-03-01T02:00:00.000Z');
INSERT INTO model_outcomes VALUES ('a', 'execute-task', 'gpt-4o', 1, 0, 300, 0.5, 800, '2026-03-01T01:00:00.000Z');
INSERT INTO model_outcomes VALUES ('b', 'execute-task', 'gpt-4o', 0, 0, 0, 0, NULL, '2026-03-01T02:00:00.000Z');
INSERT INTO imported_sources VALUES ('legacy', 'legacy-json', '2026-03-01T00:00:00.000Z', NULL);
INSERT INTO model_stats VALUES ('plan-slice', 'claude', 4, 1, 0, 1000, 0.25, 0, 0, NULL);
INSERT INTO model_baselines VALUES ('legacy', 'plan-slice', 'claude', 4, 1, 0, 1000, 0.25, NULL);
PRAGMA user_version = 1;`);
  db.close();
}

describe('SQLite schema upgrade', () => {
  it('upgrades a version 1 database in place: every old sample had a value, recency starts at 0', async () => {
    const dir = await tempDir();
    writeVersion1(dir);
    const store = await openSqliteStore({ dir, logger: silentLogger });
    afterTest(() => store.close());
    expect(store.info.schemaVersion).toBe(SCHEMA_VERSION);
    expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({
      samples: 2,
      totalTokens: 300,
      tokenSamples: 2,
      costSamples: 2,
      fastSuccesses: 0,
      slowFailures: 0,
    });
    expect(await store.getStats('plan-slice', 'claude')).toMatchObject({ tokenSamples: 5, costSamples: 5 });
    expect(await store.verify()).toMatchObject({ ok: true, outcomes: 2, baselines: 1 });
    // The columns are nullable now, and the indexes are back.
    await store.record({ taskType: 'execute-task', modelId: 'gpt-4o', success: true, id: 'c' });
    expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({
      samples: 3,
      tokenSamples: 2,
      fastSuccesses: 1,
      fastFailures: 0,
    });
    await store.record({ taskType: 'execute-task', modelId: 'gpt-4o', success: false, id: 'd' });
    expect((await store.getStats('execute-task', 'gpt-4o'))?.fastSuccesses).toBeCloseTo(FAST_DECAY, 12);
    await store.importBaselines({ id: 'unknown-totals', kind: 'legacy-json' }, [
      {
        taskType: 'x',
        modelId: 'y',
        successes: 1,
        failures: 0,
        timeouts: 0,
        totalTokens: null,
        totalCost: null,
        lastUsed: null,
      },
    ]);
    expect((await store.verify()).ok).toBe(true);
    const db = rawConnection(dir);
    const indexes = queryRows(
      db,
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    );
    expect(indexes.map((row) => row.name)).toEqual([
      'federated_stats_source',
      'model_outcomes_task_time',
      'model_outcomes_time',
    ]);
    expect(queryRows(db, "SELECT name FROM sqlite_schema WHERE name LIKE '%_next'")).toEqual([]);
  });
});
