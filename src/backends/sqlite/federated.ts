import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { type BaselineEntry, baselineValues } from '../../core/baselines.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from '../../core/federated.js';
import { SqlBuilder } from '../../core/sql-query.js';
import { SQLITE } from './queries.js';
import { BASELINE_COLUMNS, text, toBaselineEntry } from './rows.js';
import type { StatementCache } from './statements.js';
import { inWriteTransaction } from './transaction.js';

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
