import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { BaselineEntry, BaselineRecord, ImportRecord, ImportSource } from '../../core/baselines.js';
import { baselineValues, toImportRecord } from '../../core/baselines.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from '../../core/federated.js';
import { checkImportParity } from '../../core/import-validation.js';
import { SqlBuilder, statsQuery } from '../../core/sql-query.js';
import { addBaseline, emptyCounters } from '../../core/stats.js';
import type { ModelStats } from '../../core/types.js';
import { inWriteTransaction, type StatementCache } from './connection.js';
import { SQLITE } from './queries.js';
import { BASELINE_COLUMNS, nullableText, text, toBaselineEntry, toStats } from './rows.js';
import { ADD_BASELINE_TO_STATS } from './write-outcomes.js';

const FIND_SOURCE = 'SELECT 1 AS found FROM imported_sources WHERE source_id = ?';
const INSERT_SOURCE = 'INSERT INTO imported_sources (source_id, kind, imported_at, details) VALUES (?, ?, ?, ?)';
const INSERT_BASELINE = `
INSERT INTO model_baselines (source_id, ${BASELINE_COLUMNS})
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const LIST_SOURCES =
  'SELECT source_id, kind, imported_at, details FROM imported_sources ORDER BY imported_at, source_id';
const LIST_BASELINES = `SELECT source_id, ${BASELINE_COLUMNS} FROM model_baselines ORDER BY task_type, model_id, source_id`;

function recordSource(statements: StatementCache, source: ImportSource, now: Date): boolean {
  if (statements.get(FIND_SOURCE).get(source.id) !== undefined) return false;
  const details = source.details === undefined ? null : JSON.stringify(source.details);
  statements.get(INSERT_SOURCE).run(source.id, source.kind, now.toISOString(), details);
  return true;
}

function readStats(statements: StatementCache, entry: BaselineEntry): ModelStats | undefined {
  const query = statsQuery(SQLITE, entry.taskType, entry.modelId);
  const [values] = statements.valueRows(query.text, query.values as SQLInputValue[]);
  return values === undefined ? undefined : toStats(values);
}

/**
 * Adds baselines to the stats in one transaction with the record of their source, and checks parity
 * before committing: each pair's counts must have grown by exactly the baseline's, or nothing is kept.
 * A source already recorded adds nothing (returns false), so a re-run or a resumed migration is safe.
 */
export function importBaselines(
  db: DatabaseSync,
  statements: StatementCache,
  source: ImportSource,
  entries: readonly BaselineEntry[],
  now: Date,
): boolean {
  return inWriteTransaction(db, () => {
    if (!recordSource(statements, source, now)) return false;
    for (const entry of entries) {
      const before = readStats(statements, entry);
      // What the baseline adds (a known total one value per sample); it carries no latency: those sums stay.
      const added = emptyCounters();
      addBaseline(added, entry);
      const { successes, failures, timeouts, totalTokens, tokenSamples, totalCost, costSamples, lastUsed } = added;
      statements
        .get(ADD_BASELINE_TO_STATS)
        .run(
          entry.taskType,
          entry.modelId,
          successes,
          failures,
          timeouts,
          totalTokens,
          tokenSamples,
          totalCost,
          costSamples,
          0,
          0,
          lastUsed,
        );
      statements.get(INSERT_BASELINE).run(source.id, ...baselineValues(entry));
      checkImportParity(entry, before, readStats(statements, entry));
    }
    return true;
  });
}

export function listImports(statements: StatementCache): ImportRecord[] {
  return statements
    .get(LIST_SOURCES)
    .all()
    .map((row) =>
      toImportRecord(text(row, 'source_id'), text(row, 'kind'), text(row, 'imported_at'), nullableText(row, 'details')),
    );
}

export function listBaselines(statements: StatementCache): BaselineRecord[] {
  return statements
    .get(LIST_BASELINES)
    .all()
    .map((row) => ({ sourceId: text(row, 'source_id'), ...toBaselineEntry(row) }));
}

const DELETE_SOURCE = 'DELETE FROM federated_stats WHERE source_id = ?';
const INSERT_ENTRY = `
INSERT INTO federated_stats (source_id, exported_at, imported_at, ${BASELINE_COLUMNS})
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** One transaction: the source's old rows go, its new ones come; model_stats is never touched. */
export function replaceFederated(
  db: DatabaseSync,
  statements: StatementCache,
  source: FederatedSource,
  entries: readonly BaselineEntry[],
  now: Date,
): void {
  inWriteTransaction(db, () => {
    statements.get(DELETE_SOURCE).run(source.id);
    const importedAt = now.toISOString();
    const insert = statements.get(INSERT_ENTRY);
    for (const entry of entries) {
      insert.run(source.id, source.exportedAt, importedAt, ...baselineValues(entry));
    }
  });
}

export function listFederated(statements: StatementCache, filter: FederatedFilter): FederatedEntry[] {
  const sql = new SqlBuilder(SQLITE);
  if (filter.taskType !== undefined) sql.where(`task_type = ${sql.param(filter.taskType)}`);
  const query =
    `SELECT source_id, exported_at, imported_at, ${BASELINE_COLUMNS} FROM federated_stats ${sql.whereSql()} ` +
    'ORDER BY task_type, model_id, source_id';
  return statements
    .get(query)
    .all(...(sql.values as SQLInputValue[]))
    .map((row) => ({
      ...toBaselineEntry(row),
      sourceId: text(row, 'source_id'),
      exportedAt: text(row, 'exported_at'),
      importedAt: text(row, 'imported_at'),
    }));
}
