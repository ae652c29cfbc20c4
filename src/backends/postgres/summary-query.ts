import type { NormalizedSummaryQuery } from '../../core/validation.js';
import { SqlBuilder, type SqlQuery } from './sql-builder.js';
import type { Tables } from './tables.js';

/**
 * Grouping pushed down to PostgreSQL. The day is the date part of the ISO 8601 UTC text, which is the
 * UTC day: the same rule as SQLite, and no time zone setting of the session can shift it.
 */
export function summaryQuery(t: Tables, query: NormalizedSummaryQuery): SqlQuery {
  const sql = new SqlBuilder();
  if (query.taskType !== undefined) sql.where(`task_type = ${sql.param(query.taskType)}`);
  if (query.modelId !== undefined) sql.where(`model_id = ${sql.param(query.modelId)}`);
  // One array parameter for any number of models keeps the SQL text the same.
  if (query.models !== undefined) sql.where(`model_id = ANY(${sql.param(query.models)}::text[])`);
  if (query.since !== undefined) sql.where(`"timestamp" >= ${sql.param(query.since)}`);
  if (query.until !== undefined) sql.where(`"timestamp" < ${sql.param(query.until)}`);
  const byModel = query.groupBy !== 'day';
  const byDay = query.groupBy !== 'model';
  const groups = [...(byDay ? ['day'] : []), ...(byModel ? ['model_id'] : [])].join(', ');
  return {
    text: `
SELECT ${byModel ? 'model_id' : 'NULL::text'} AS model_id,
       ${byDay ? 'substr("timestamp", 1, 10)' : 'NULL::text'} AS day,
       count(*) AS trials,
       count(*) FILTER (WHERE success) AS wins,
       count(*) FILTER (WHERE timeout) AS timeouts,
       coalesce(sum(tokens_used), 0) AS total_tokens,
       count(tokens_used) AS token_samples,
       coalesce(sum(cost_usd), 0) AS total_cost,
       count(cost_usd) AS cost_samples,
       coalesce(sum(latency_ms), 0) AS total_latency_ms,
       count(latency_ms) AS latency_samples,
       max("timestamp") AS last_used
FROM ${t.outcomes} ${sql.whereSql()}
GROUP BY ${groups}
ORDER BY ${groups}`,
    values: sql.values,
  };
}
