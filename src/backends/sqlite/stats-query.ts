import type { NormalizedStatsFilter } from '../../core/validation.js';
import { STATS_COLUMNS } from './rows.js';
import { type SqlQuery, WhereClause } from './where-clause.js';

export const GET_STATS = `SELECT ${STATS_COLUMNS} FROM model_stats WHERE task_type = ? AND model_id = ?`;

/** Ordered by the primary key, whose BINARY collation is the order listStats promises. */
export function statsListQuery(filter: NormalizedStatsFilter): SqlQuery {
  const where = new WhereClause();
  if (filter.taskType !== undefined) where.add('task_type = ?', filter.taskType);
  if (filter.modelId !== undefined) where.add('model_id = ?', filter.modelId);
  if (filter.minSamples > 0) where.add('successes + failures >= ?', filter.minSamples);
  return {
    sql: `SELECT ${STATS_COLUMNS} FROM model_stats ${where.toSql()} ORDER BY task_type, model_id`,
    params: where.params,
  };
}
