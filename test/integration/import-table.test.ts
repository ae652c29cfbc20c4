import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as NodeSqlite from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import type { PerformanceStore } from '../../src/core/store.js';
import type { Outcome } from '../../src/core/types.js';
import { openStore } from '../../src/index.js';
import { type ImportProgress, importOutcomesTable } from '../../src/migrate/index.js';
import { collect } from '../contract/fixtures.js';
import { seededRandom } from '../support/seeded-random.js';

const sqlite = process.getBuiltinModule('node:sqlite') as typeof NodeSqlite;

const ROWS = 2_500;
const BASE = Date.parse('2025-11-01T00:00:00.000Z');
const MODELS = ['gpt-4o', 'claude-opus', 'gemini-pro', '__proto__'];
const UNITS = ['execute-task', 'plan-slice', 'research'];
// Rowids (1-based) of rows that are not valid outcomes.
const EMPTY_UNIT_ROWS = [17, 900, 2_222];
const NEGATIVE_DURATION_ROWS = [5, 1_234];
const INVALID_ROWS = [...EMPTY_UNIT_ROWS, ...NEGATIVE_DURATION_ROWS].sort((a, b) => a - b);
const VALID_ROWS = ROWS - INVALID_ROWS.length;

function pick<T>(next: () => number, items: readonly T[]): T {
  const item = items[Math.floor(next() * items.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

/** Writes an llm_task_outcomes table of ROWS rows; rowid n is the n-th row inserted. */
function writeSource(file: string): void {
  const db = new sqlite.DatabaseSync(file);
  try {
    db.exec(`CREATE TABLE llm_task_outcomes (
      id INTEGER PRIMARY KEY,
      model_id TEXT NOT NULL, provider TEXT, unit_type TEXT NOT NULL, unit_id TEXT,
      succeeded INTEGER NOT NULL, retries INTEGER, escalated INTEGER, verification_passed INTEGER,
      blocker_discovered INTEGER, duration_ms INTEGER, tokens_total INTEGER, cost_usd REAL, recorded_at INTEGER NOT NULL
    )`);
    const insert = db.prepare(
      `INSERT INTO llm_task_outcomes (id, model_id, provider, unit_type, unit_id, succeeded, retries, escalated,
         verification_passed, blocker_discovered, duration_ms, tokens_total, cost_usd, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const next = seededRandom(20_260_301);
    db.exec('BEGIN');
    for (let row = 1; row <= ROWS; row += 1) {
      const unit = EMPTY_UNIT_ROWS.includes(row) ? '' : pick(next, UNITS);
      const duration = NEGATIVE_DURATION_ROWS.includes(row) ? -5 : row % 50 === 0 ? null : Math.floor(next() * 90_000);
      const tokens = row % 7 === 0 ? null : Math.floor(next() * 50_000);
      const cost = row % 11 === 0 ? null : Math.round(next() * 10_000) / 10_000;
      insert.run(
        row,
        pick(next, MODELS),
        'provider-x',
        unit,
        `unit-${row}`,
        next() < 0.7 ? 1 : 0,
        Math.floor(next() * 3),
        0,
        1,
        0,
        duration,
        tokens,
        cost,
        BASE + Math.floor(next() * 60 * 86_400_000),
      );
    }
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

interface SourceRow {
  model_id: string;
  unit_type: string;
  succeeded: number;
  duration_ms: number | null;
  tokens_total: number | null;
  cost_usd: number | null;
  recorded_at: number;
}

interface PairCount {
  model_id: string;
  unit_type: string;
  samples: number;
  successes: number;
  tokens: number;
  token_samples: number;
  cost: number;
  cost_samples: number;
  latency_samples: number;
}

function readSource<T>(file: string, sql: string, ...params: number[]): T[] {
  const db = new sqlite.DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const VALID = "unit_type <> '' AND (duration_ms IS NULL OR duration_ms >= 0)";

const BACKENDS = ['sqlite', 'json'] as const;

describe.each(BACKENDS)('importOutcomesTable into a %s store', (backend) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setup(): Promise<{ store: PerformanceStore; file: string }> {
    const dir = await mkdtemp(join(tmpdir(), `model-perf-import-${backend}-`));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'runtime.db');
    writeSource(file);
    const store = await openStore({ dir: join(dir, 'store'), backend, logger: silentLogger });
    cleanup.push(() => store.close());
    expect(store.info.backend).toBe(backend);
    return { store, file };
  }

  it('maps every field, matches a GROUP BY per pair, skips invalid rows and is idempotent', async () => {
    const { store, file } = await setup();
    const progress: ImportProgress[] = [];
    const report = await importOutcomesTable({ store, file, onProgress: (step) => progress.push(step) });

    expect(report).toMatchObject({ rows: ROWS, imported: VALID_ROWS, alreadyPresent: 0, skipped: INVALID_ROWS.length });
    expect(report.problems.map((problem) => problem.rowId)).toEqual(INVALID_ROWS);
    for (const problem of report.problems) expect(problem.message).not.toBe('');

    // Progress: strictly increasing done, the table's row count as total, ending at it.
    expect(progress.length).toBeGreaterThan(1);
    for (const [index, step] of progress.entries()) {
      expect(step).toMatchObject({ phase: 'import', total: ROWS });
      if (index > 0) expect(step.done).toBeGreaterThan(progress[index - 1]?.done ?? Number.POSITIVE_INFINITY);
    }
    expect(progress.at(-1)?.done).toBe(ROWS);

    // Field mapping, on rows with every shape: NULL tokens, NULL cost, NULL duration, plain.
    const outcomes = new Map<string, Outcome>((await collect(store.outcomes())).map((one) => [one.id, one]));
    expect(outcomes.size).toBe(VALID_ROWS);
    for (const rowId of [1, 7, 11, 50, 77, 2_500]) {
      const [row] = readSource<SourceRow>(file, 'SELECT * FROM llm_task_outcomes WHERE rowid = ?', rowId);
      if (row === undefined) throw new Error(`no source row ${rowId}`);
      const stored = outcomes.get(`${report.source}:${rowId}`);
      expect(stored, `row ${rowId}`).toEqual({
        id: `${report.source}:${rowId}`,
        taskType: row.unit_type,
        modelId: row.model_id,
        success: row.succeeded === 1,
        timeout: false,
        tokensUsed: row.tokens_total,
        costUsd: row.cost_usd,
        latencyMs: row.duration_ms,
        timestamp: new Date(row.recorded_at).toISOString(),
      });
    }
    expect(outcomes.get(`${report.source}:7`)?.tokensUsed).toBeNull();
    for (const rowId of INVALID_ROWS) expect(outcomes.has(`${report.source}:${rowId}`)).toBe(false);

    // Per pair, the store's stats equal a GROUP BY on the valid source rows.
    const expected = readSource<PairCount>(
      file,
      `SELECT model_id, unit_type, count(*) AS samples, sum(succeeded) AS successes,
         sum(coalesce(tokens_total, 0)) AS tokens, count(tokens_total) AS token_samples, total(cost_usd) AS cost,
         count(cost_usd) AS cost_samples, count(duration_ms) AS latency_samples
       FROM llm_task_outcomes WHERE ${VALID} GROUP BY model_id, unit_type`,
    );
    const stats = await store.listStats();
    expect(stats).toHaveLength(expected.length);
    for (const pair of expected) {
      const found = stats.find((one) => one.taskType === pair.unit_type && one.modelId === pair.model_id);
      expect(found, `${pair.unit_type}/${pair.model_id}`).toMatchObject({
        samples: pair.samples,
        successes: pair.successes,
        failures: pair.samples - pair.successes,
        timeouts: 0,
        totalTokens: pair.tokens,
        tokenSamples: pair.token_samples,
        costSamples: pair.cost_samples,
        latencySamples: pair.latency_samples,
      });
      expect(found?.totalCost).toBeCloseTo(pair.cost, 6);
    }

    const imports = await store.listImports();
    expect(imports).toContainEqual(
      expect.objectContaining({
        id: `outcomes-table:${report.source}`,
        kind: 'outcomes-table',
        details: expect.objectContaining({ file, table: 'llm_task_outcomes', rows: ROWS }),
      }),
    );

    // A second run finds every valid row already there and changes nothing.
    const again = await importOutcomesTable({ store, file });
    expect(again).toMatchObject({
      source: report.source,
      rows: ROWS,
      imported: 0,
      alreadyPresent: VALID_ROWS,
      skipped: INVALID_ROWS.length,
    });
    expect(await store.listStats()).toEqual(stats);
  }, 60_000);

  it('rejects a table name that is not an identifier, and a missing table, with MP_INVALID_IMPORT', async () => {
    const { store, file } = await setup();
    await expect(importOutcomesTable({ store, file, table: 'x; DROP' })).rejects.toMatchObject({
      code: 'MP_INVALID_IMPORT',
    });
    await expect(importOutcomesTable({ store, file, table: 'no_such_table' })).rejects.toMatchObject({
      code: 'MP_INVALID_IMPORT',
    });
    expect(await store.listStats()).toEqual([]);
    expect(readSource<{ n: number }>(file, 'SELECT count(*) AS n FROM llm_task_outcomes')).toEqual([{ n: ROWS }]);
  });
});
