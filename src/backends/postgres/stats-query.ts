import type { NormalizedStatsFilter } from '../../core/validation.js';
import { SqlBuilder, type SqlQuery } from './sql-builder.js';
import type { Tables } from './tables.js';

export function getStatsQuery(t: Tables, taskType: string, modelId: string): SqlQuery {
  return { text: `SELECT * FROM ${t.stats} WHERE task_type = $1 AND model_id = $2`, values: [taskType, modelId] };
}

/** Ordered by the primary key, whose "C" collation is the order listStats promises. */
export function statsListQuery(t: Tables, filter: NormalizedStatsFilter): SqlQuery {
  const sql = new SqlBuilder();
  if (filter.taskType !== undefined) sql.where(`task_type = ${sql.param(filter.taskType)}`);
  if (filter.modelId !== undefined) sql.where(`model_id = ${sql.param(filter.modelId)}`);
  if (filter.minSamples > 0) sql.where(`successes + failures >= ${sql.param(filter.minSamples)}`);
  return { text: `SELECT * FROM ${t.stats} ${sql.whereSql()} ORDER BY task_type, model_id`, values: sql.values };
}
