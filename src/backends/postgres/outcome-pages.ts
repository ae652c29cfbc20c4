import type { Outcome } from '../../core/types.js';
import type { NormalizedOutcomeQuery } from '../../core/validation.js';
import { OUTCOME_COLUMNS } from './rows.js';
import { SqlBuilder, type SqlQuery } from './sql-builder.js';
import type { Tables } from './tables.js';

/**
 * Rows per page of outcomes(). Each page is one short statement, so no transaction or cursor stays
 * open on the server while the caller holds the iterator.
 */
export const OUTCOME_PAGE_SIZE = 500;

/**
 * The next page after `last` (keyset pagination, as on SQLite): it seeks past the last row seen in the
 * index on ("timestamp", outcome_id) instead of skipping rows with OFFSET, so every page costs the same.
 */
export function outcomePage(
  t: Tables,
  query: NormalizedOutcomeQuery,
  last: Outcome | undefined,
  size: number,
): SqlQuery {
  const sql = new SqlBuilder();
  if (query.taskType !== undefined) sql.where(`task_type = ${sql.param(query.taskType)}`);
  if (query.modelId !== undefined) sql.where(`model_id = ${sql.param(query.modelId)}`);
  const ascending = query.order === 'asc';
  // After the first page the cursor replaces the bound it moves away from.
  const cursor = last === undefined ? undefined : `(${sql.param(last.timestamp)}, ${sql.param(last.id)})`;
  if (ascending && cursor !== undefined) sql.where(`("timestamp", outcome_id) > ${cursor}`);
  else if (query.since !== undefined) sql.where(`"timestamp" >= ${sql.param(query.since)}`);
  if (!ascending && cursor !== undefined) sql.where(`("timestamp", outcome_id) < ${cursor}`);
  else if (query.until !== undefined) sql.where(`"timestamp" < ${sql.param(query.until)}`);
  const direction = ascending ? 'ASC' : 'DESC';
  return {
    text:
      `SELECT ${OUTCOME_COLUMNS} FROM ${t.outcomes} ${sql.whereSql()} ` +
      `ORDER BY "timestamp" ${direction}, outcome_id ${direction} LIMIT ${sql.param(size)}`,
    values: sql.values,
  };
}
