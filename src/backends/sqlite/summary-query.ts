import type { NormalizedSummaryQuery } from '../../core/validation.js';
import { type SqlQuery, WhereClause } from './where-clause.js';

/** Grouping pushed down to SQLite: the day is the date part of the ISO 8601 UTC timestamp. */
export function summaryQuery(query: NormalizedSummaryQuery): SqlQuery {
  const where = new WhereClause();
  if (query.taskType !== undefined) where.add('task_type = ?', query.taskType);
  if (query.modelId !== undefined) where.add('model_id = ?', query.modelId);
  // One placeholder for any number of models keeps the SQL text, and so the cached statement, the same.
  if (query.models !== undefined)
    where.add('model_id IN (SELECT value FROM json_each(?))', JSON.stringify(query.models));
  if (query.since !== undefined) where.add('timestamp >= ?', query.since);
  if (query.until !== undefined) where.add('timestamp < ?', query.until);
  const byModel = query.groupBy !== 'day';
  const byDay = query.groupBy !== 'model';
  const groups = [...(byDay ? ['day'] : []), ...(byModel ? ['model_id'] : [])].join(', ');
  return {
    sql: `
SELECT ${byModel ? 'model_id' : 'NULL'} AS model_id,
       ${byDay ? 'substr(timestamp, 1, 10)' : 'NULL'} AS day,
       count(*) AS trials,
       sum(success) AS wins,
       sum(timeout) AS timeouts,
       coalesce(sum(tokens_used), 0) AS total_tokens,
       count(tokens_used) AS token_samples,
       total(cost_usd) AS total_cost,
       count(cost_usd) AS cost_samples,
       total(latency_ms) AS total_latency_ms,
       count(latency_ms) AS latency_samples,
       max(timestamp) AS last_used
FROM model_outcomes ${where.toSql()}
GROUP BY ${groups}
ORDER BY ${groups}`,
    params: where.params,
  };
}
