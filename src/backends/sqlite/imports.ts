import type { DatabaseSync } from 'node:sqlite';
import {
  type BaselineEntry,
  type BaselineRecord,
  type ImportRecord,
  type ImportSource,
  toImportRecord,
} from '../../core/baselines.js';
import { checkImportParity } from '../../core/import-parity.js';
import type { ModelStats } from '../../core/types.js';
import { BASELINE_COLUMNS, nullableText, text, toBaselineEntry, toStats } from './rows.js';
import type { StatementCache } from './statements.js';
import { GET_STATS } from './stats-query.js';
import { inWriteTransaction } from './transaction.js';
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
  const [values] = statements.valueRows(GET_STATS, [entry.taskType, entry.modelId]);
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
      const { taskType, modelId, successes, failures, timeouts, totalTokens, totalCost, lastUsed } = entry;
      // A known total counts one value per sample; a baseline carries no latency: those sums stay.
      const samples = successes + failures;
      statements
        .get(ADD_BASELINE_TO_STATS)
        .run(
          taskType,
          modelId,
          successes,
          failures,
          timeouts,
          totalTokens ?? 0,
          totalTokens === null ? 0 : samples,
          totalCost ?? 0,
          totalCost === null ? 0 : samples,
          0,
          0,
          lastUsed,
        );
      statements
        .get(INSERT_BASELINE)
        .run(source.id, taskType, modelId, successes, failures, timeouts, totalTokens, totalCost, lastUsed);
      checkImportParity(entry, before, readStats(statements, entry));
    }
    return true;
  });
}

/** Records an import whose data came in as outcomes; false when it was recorded before. */
export function recordImport(db: DatabaseSync, statements: StatementCache, source: ImportSource, now: Date): boolean {
  return inWriteTransaction(db, () => recordSource(statements, source, now));
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
