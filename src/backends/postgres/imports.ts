import {
  type BaselineEntry,
  type BaselineRecord,
  type ImportRecord,
  type ImportSource,
  toImportRecord,
} from '../../core/baselines.js';
import { checkImportParity } from '../../core/import-parity.js';
import { addBaseline, toModelStats } from '../../core/stats.js';
import type { ModelStats } from '../../core/types.js';
import type { Database, Queryable } from './database.js';
import { BASELINE_COLUMNS, nullableText, text, toBaselineEntry, toStats } from './rows.js';
import { lockPairs, pairKey, writePairs } from './stats-rows.js';
import type { Tables } from './tables.js';

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
