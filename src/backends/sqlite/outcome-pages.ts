import type { Outcome } from '../../core/types.js';
import type { NormalizedOutcomeQuery } from '../../core/validation.js';
import { OUTCOME_COLUMNS } from './rows.js';
import { type SqlQuery, WhereClause } from './where-clause.js';

/**
 * Rows per page of outcomes(). Each page is one short statement, so no read transaction stays open
 * while the caller holds the iterator, and writers are never kept from checkpointing the WAL.
 */
export const OUTCOME_PAGE_SIZE = 500;

/**
 * The next page after `last` (keyset pagination): it seeks past the last row seen in the index on
 * (timestamp, outcome_id) instead of skipping rows with OFFSET, so every page costs the same.
 */
export function outcomePage(query: NormalizedOutcomeQuery, last: Outcome | undefined, size: number): SqlQuery {
  const where = new WhereClause();
  if (query.taskType !== undefined) where.add('task_type = ?', query.taskType);
  if (query.modelId !== undefined) where.add('model_id = ?', query.modelId);
  const ascending = query.order === 'asc';
  // After the first page the cursor replaces the bound it moves away from: kept as well, SQLite would
  // seek to that bound and filter its way to the cursor on every page.
  const cursor = last === undefined ? undefined : [last.timestamp, last.id];
  const lower = ascending ? cursor : undefined;
  const upper = ascending ? undefined : cursor;
  if (lower !== undefined) where.add('(timestamp, outcome_id) > (?, ?)', ...lower);
  else if (query.since !== undefined) where.add('timestamp >= ?', query.since);
  if (upper !== undefined) where.add('(timestamp, outcome_id) < (?, ?)', ...upper);
  else if (query.until !== undefined) where.add('timestamp < ?', query.until);
  const direction = ascending ? 'ASC' : 'DESC';
  return {
    sql:
      `SELECT ${OUTCOME_COLUMNS} FROM model_outcomes ${where.toSql()} ` +
      `ORDER BY timestamp ${direction}, outcome_id ${direction} LIMIT ?`,
    params: [...where.params, size],
  };
}
