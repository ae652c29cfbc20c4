import { type BaselineEntry, baselineValues } from '../../core/baselines.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from '../../core/federated.js';
import { SqlBuilder } from '../../core/sql-query.js';
import type { Database } from './database.js';
import { postgresDialect } from './queries.js';
import { BASELINE_COLUMNS, text, toBaselineEntry } from './rows.js';
import type { Tables } from './tables.js';

/**
 * One transaction: the source's old rows go, its new ones come; model_stats is never touched. Two
 * replacements of one source at once would each delete what they see and then collide on the
 * other's inserts: a lock on the source's name, held until the commit, makes them take turns.
 */
export function replaceFederated(
  db: Database,
  t: Tables,
  source: FederatedSource,
  entries: readonly BaselineEntry[],
  now: Date,
): Promise<void> {
  return db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `model-perf federated ${t.schema} ${source.id}`,
    ]);
    await client.query(`DELETE FROM ${t.federated} WHERE source_id = $1`, [source.id]);
    const importedAt = now.toISOString();
    for (const entry of entries) {
      await client.query(
        `INSERT INTO ${t.federated} (source_id, exported_at, imported_at, ${BASELINE_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [source.id, source.exportedAt, importedAt, ...baselineValues(entry)],
      );
    }
  });
}

export async function listFederated(db: Database, t: Tables, filter: FederatedFilter): Promise<FederatedEntry[]> {
  const sql = new SqlBuilder(postgresDialect(t));
  if (filter.taskType !== undefined) sql.where(`task_type = ${sql.param(filter.taskType)}`);
  const result = await db.query(
    `SELECT source_id, exported_at, imported_at, ${BASELINE_COLUMNS} FROM ${t.federated} ${sql.whereSql()}
     ORDER BY task_type, model_id, source_id`,
    sql.values,
  );
  return result.rows.map((row) => ({
    ...toBaselineEntry(row),
    sourceId: text(row, 'source_id'),
    exportedAt: text(row, 'exported_at'),
    importedAt: text(row, 'imported_at'),
  }));
}
