import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as NodeSqlite from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { importOutcomesTable } from '../../src/migrate/index.js';
import { runBounded } from '../support/bounded-run.js';
import { MemoryStore } from '../support/memory-store.js';

const sqlite = process.getBuiltinModule('node:sqlite') as typeof NodeSqlite;

const COLUMNS = 'model_id, unit_type, succeeded, duration_ms, tokens_total, cost_usd, recorded_at';
const AT = Date.parse('2026-01-05T10:00:00.000Z');

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** An import file as somebody else could hand it over: `setup` adds what it holds. */
async function sourceFile(setup: (db: NodeSqlite.DatabaseSync) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-import-hostile-'));
  dirs.push(dir);
  const file = join(dir, 'source.db');
  const db = new sqlite.DatabaseSync(file);
  try {
    setup(db);
  } finally {
    db.close();
  }
  return file;
}

describe('import-table on an untrusted file', () => {
  it('refuses a view (an endless recursive CTE is never run)', async () => {
    const file = await sourceFile((db) => {
      db.exec(`CREATE VIEW llm_task_outcomes AS
        WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever)
        SELECT 'm' AS model_id, 't' AS unit_type, 1 AS succeeded, 1 AS duration_ms, 1 AS tokens_total,
               0.1 AS cost_usd, ${AT} AS recorded_at FROM forever`);
    });
    // Through the CLI in a child process: reading the view would block its thread for ever, and only a
    // process can be killed out of that (after 30 s, which fails the test).
    const run = await runBounded(['import-table', file, '--dir', join(file, '..', 'store')], { cwd: tmpdir() });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr.toString()).toMatch(/MP_INVALID_IMPORT.*is a view, not a table/);
  });

  it('refuses a table above the row budget before reading a row', async () => {
    const file = await sourceFile((db) => {
      db.exec(`CREATE TABLE llm_task_outcomes (${COLUMNS})`);
      const insert = db.prepare(`INSERT INTO llm_task_outcomes VALUES ('m', 't', 1, 1, 1, 0.1, ${AT})`);
      for (let row = 0; row < 11; row += 1) insert.run();
    });
    const store = new MemoryStore('memory');
    await expect(importOutcomesTable({ store, file, maxRows: 10 })).rejects.toMatchObject({
      code: 'MP_INVALID_IMPORT',
      message: expect.stringContaining('11 rows, more than the 10'),
    });
    expect(await store.listStats()).toEqual([]);
  });

  it('reports an integer beyond 2^53 and a mistyped succeeded as invalid rows, and imports the rest', async () => {
    const file = await sourceFile((db) => {
      db.exec(`CREATE TABLE llm_task_outcomes (${COLUMNS})`);
      const insert = db.prepare(`INSERT INTO llm_task_outcomes VALUES (?, 't', ?, 1, ?, 0.1, ${AT})`);
      insert.run('good', 1, 5);
      insert.run('huge', 1, 2n ** 60n);
      insert.run('mistyped', 'yes', 5);
      insert.run('null', null, 5);
      insert.run('good', 0, 7);
    });
    const store = new MemoryStore('memory');
    const report = await importOutcomesTable({ store, file });
    expect(report).toMatchObject({ rows: 5, imported: 2, skipped: 3 });
    expect(report.problems).toEqual([
      { rowId: 2, message: expect.stringContaining('tokens_total 1152921504606846976 is beyond 2^53') },
      { rowId: 3, message: expect.stringContaining('succeeded must be 0 or 1, got "yes"') },
      { rowId: 4, message: expect.stringContaining('succeeded must be 0 or 1, got null') },
    ]);
    expect(await store.listStats()).toMatchObject([{ modelId: 'good', successes: 1, failures: 1, totalTokens: 12 }]);
  });
});
