import { describe, expect, it } from 'vitest';
import {
  CONNECTION_BUSY_TIMEOUT_MS,
  type Connection,
  loadSqlite,
  openConnection,
} from '../../src/backends/sqlite/connection.js';
import { resolveSettings } from '../../src/backends/sqlite/options.js';
import { SQLITE } from '../../src/backends/sqlite/queries.js';
import { SCHEMA_VERSION } from '../../src/backends/sqlite/schema.js';
import type { Durability } from '../../src/core/options.js';
import { outcomePageQuery, type SqlQuery, summaryQuery } from '../../src/core/sql-query.js';
import { normalizeOutcomeQuery, normalizeSummaryQuery } from '../../src/core/validation.js';
import { afterTest, queryRows, tempDir } from './sqlite-fixture.js';

async function connect(durability: Durability = 'normal', busyTimeoutMs = 5000): Promise<Connection> {
  const settings = resolveSettings({ dir: await tempDir(), durability, busyTimeoutMs });
  const connection = openConnection(loadSqlite(), settings);
  afterTest(() => connection.db.close());
  return connection;
}

function pragma(connection: Connection, name: string): unknown {
  return queryRows(connection.db, `PRAGMA ${name}`)[0]?.[name];
}

function plan(connection: Connection, { text, values }: SqlQuery): string {
  return connection.db
    .prepare(`EXPLAIN QUERY PLAN ${text}`)
    .all(...(values as Array<string | number>))
    .map((row) => String(row.detail))
    .join(' | ');
}

describe('SQLite schema and connection settings', () => {
  it('creates the tables at user_version 2', async () => {
    const connection = await connect();
    expect(pragma(connection, 'user_version')).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(2);
    const tables = queryRows(connection.db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    expect(tables.map((row) => row.name)).toEqual([
      'federated_stats',
      'imported_sources',
      'model_baselines',
      'model_outcomes',
      'model_stats',
    ]);
  });

  it.each([
    ['normal', 1],
    ['full', 2],
  ] as const)(
    "runs in WAL with foreign keys, SQLite's own busy timeout 0 and synchronous for durability %s",
    async (durability, level) => {
      const connection = await connect(durability, 1234);
      expect(connection.journalMode).toBe('wal');
      expect(pragma(connection, 'journal_mode')).toBe('wal');
      expect(pragma(connection, 'foreign_keys')).toBe(1);
      expect(pragma(connection, 'synchronous')).toBe(level);
      // busyTimeoutMs is waited on timers (waitWhileBusy), never inside SQLite's busy handler.
      expect(queryRows(connection.db, 'PRAGMA busy_timeout')[0]?.timeout).toBe(CONNECTION_BUSY_TIMEOUT_MS);
      expect(CONNECTION_BUSY_TIMEOUT_MS).toBe(0);
    },
  );

  it('enforces the foreign key from outcomes to stats', async () => {
    const connection = await connect();
    expect(() =>
      connection.db.exec(
        "INSERT INTO model_outcomes VALUES ('id', 't', 'm', 1, 0, 0, 0, NULL, '2026-01-01T00:00:00.000Z')",
      ),
    ).toThrow(/FOREIGN KEY/);
  });

  it('serves task + time queries and their keyset pages from the task index, without sorting', async () => {
    const connection = await connect();
    const query = normalizeOutcomeQuery({ taskType: 't', since: '2026-01-01', until: '2026-02-01' });
    const last = {
      id: 'x',
      taskType: 't',
      modelId: 'm',
      success: true,
      timeout: false,
      tokensUsed: 0,
      costUsd: 0,
      latencyMs: null,
      timestamp: '2026-01-05T00:00:00.000Z',
    };
    for (const page of [outcomePageQuery(SQLITE, query, undefined, 500), outcomePageQuery(SQLITE, query, last, 500)]) {
      const detail = plan(connection, page);
      expect(detail).toContain('USING COVERING INDEX model_outcomes_task_time (task_type=?');
      expect(detail).not.toContain('TEMP B-TREE');
    }
    const descending = plan(connection, outcomePageQuery(SQLITE, { ...query, order: 'desc' }, last, 500));
    expect(descending).toMatch(
      /model_outcomes_task_time \(task_type=\? AND timestamp>\? AND \(timestamp,outcome_id\)<\(\?,\?\)\)/,
    );
    expect(plan(connection, outcomePageQuery(SQLITE, normalizeOutcomeQuery({ modelId: 'm' }), last, 500))).toContain(
      'USING INDEX model_outcomes_time',
    );
    const summary = summaryQuery(
      SQLITE,
      normalizeSummaryQuery({ groupBy: 'day+model', taskType: 't', since: '2026-01-01' }),
    );
    // Index-only: the task index carries every column a summary reads.
    expect(plan(connection, summary)).toContain(
      'USING COVERING INDEX model_outcomes_task_time (task_type=? AND timestamp>?)',
    );
  });
});
