import {
  type BaselineEntry,
  type BaselineRecord,
  baselineValues,
  type ImportRecord,
  type ImportSource,
  toImportRecord,
} from '../../core/baselines.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from '../../core/federated.js';
import { checkImportParity } from '../../core/import-validation.js';
import { SqlBuilder } from '../../core/sql-query.js';
import { addBaseline, toModelStats } from '../../core/stats.js';
import type { ModelStats } from '../../core/types.js';
import type { Database, Queryable } from './database.js';
import { postgresDialect, type Tables } from './queries.js';
import {
  BASELINE_COLUMNS,
  lockPairs,
  nullableText,
  pairKey,
  text,
  toBaselineEntry,
  toStats,
  writePairs,
} from './rows.js';

/** Records the source unless it is there; false when it was. Waits for a concurrent insert of it to settle. */
async function recordSource(db: Queryable, t: Tables, source: ImportSource, now: Date): Promise<boolean> {
  const details = source.details === undefined ? null : JSON.stringify(source.details);
  const result = await db.query(
    `INSERT INTO ${t.sources} (source_id, kind, imported_at, details) VALUES ($1, $2, $3, $4)
     ON CONFLICT (source_id) DO NOTHING`,
    [source.id, source.kind, now.toISOString(), details],
  );
  return result.rowCount === 1;
}

async function insertBaselines(
  db: Queryable,
  t: Tables,
  sourceId: string,
  entries: readonly BaselineEntry[],
): Promise<void> {
  const column = <K extends keyof BaselineEntry>(key: K): Array<BaselineEntry[K]> => entries.map((entry) => entry[key]);
  await db.query(
    `INSERT INTO ${t.baselines} (source_id, ${BASELINE_COLUMNS})
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[],
                              $8::double precision[], $9::text[])`,
    [
      sourceId,
      column('taskType'),
      column('modelId'),
      column('successes'),
      column('failures'),
      column('timeouts'),
      column('totalTokens'),
      column('totalCost'),
      column('lastUsed'),
    ],
  );
}

/** The pairs' stats as stored now, read back for the parity check. */
async function readPairs(
  db: Queryable,
  t: Tables,
  entries: readonly BaselineEntry[],
): Promise<Map<string, ModelStats>> {
  const result = await db.query(
    `SELECT * FROM ${t.stats} WHERE (task_type, model_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [entries.map((entry) => entry.taskType), entries.map((entry) => entry.modelId)],
  );
  return new Map(
    result.rows.map((row) => {
      const stats = toStats(row);
      return [pairKey(stats), stats];
    }),
  );
}

/**
 * Adds the baselines to their pairs: the rows are locked (and made, when missing) before they are read,
 * so no other writer can slip an outcome in between the counts before and after that the parity check
 * compares; then the new counts are written and read back.
 */
async function addBaselines(
  db: Queryable,
  t: Tables,
  sourceId: string,
  entries: readonly BaselineEntry[],
): Promise<void> {
  const pairs = await lockPairs(db, t, entries);
  const before = new Map<string, ModelStats>();
  for (const [key, { taskType, modelId, counters }] of pairs)
    before.set(key, toModelStats(taskType, modelId, counters));
  for (const entry of entries) {
    const pair = pairs.get(pairKey(entry));
    if (pair === undefined) throw new Error(`model-perf: the stats row of ${pairKey(entry)} was not locked`);
    addBaseline(pair.counters, entry);
  }
  await writePairs(db, t, pairs);
  await insertBaselines(db, t, sourceId, entries);
  const after = await readPairs(db, t, entries);
  for (const entry of entries) checkImportParity(entry, before.get(pairKey(entry)), after.get(pairKey(entry)));
}

/**
 * One transaction: the source's record, then the entries added to their pairs' stats and kept as
 * baselines, parity checked before the commit. A source recorded before adds nothing (false).
 */
export function importBaselines(
  db: Database,
  t: Tables,
  source: ImportSource,
  entries: readonly BaselineEntry[],
  now: Date,
): Promise<boolean> {
  return db.transaction(async (client) => {
    if (!(await recordSource(client, t, source, now))) return false;
    if (entries.length > 0) await addBaselines(client, t, source.id, entries);
    return true;
  });
}

export async function listImports(db: Database, t: Tables): Promise<ImportRecord[]> {
  const result = await db.query(
    `SELECT source_id, kind, imported_at, details FROM ${t.sources} ORDER BY imported_at, source_id`,
  );
  return result.rows.map((row) =>
    toImportRecord(text(row, 'source_id'), text(row, 'kind'), text(row, 'imported_at'), nullableText(row, 'details')),
  );
}

export async function listBaselines(db: Database, t: Tables): Promise<BaselineRecord[]> {
  const result = await db.query(
    `SELECT source_id, ${BASELINE_COLUMNS} FROM ${t.baselines} ORDER BY task_type, model_id, source_id`,
  );
  return result.rows.map((row) => ({ sourceId: text(row, 'source_id'), ...toBaselineEntry(row) }));
}

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
