import type { SqlDialect } from '../../core/sql-query.js';
import { OUTCOME_COLUMNS } from './rows.js';
import type { Tables } from './tables.js';

/** The shared SQL queries (core/sql-query.ts) as PostgreSQL runs them, on the tables of one schema. */
export function postgresDialect(t: Tables): SqlDialect {
  return {
    placeholder: (position) => `$${position}`,
    outcomesTable: t.outcomes,
    statsTable: t.stats,
    outcomeColumns: OUTCOME_COLUMNS,
    statsColumns: '*',
    timestamp: '"timestamp"',
    nullText: 'NULL::text',
    // One array value for any number of models.
    modelIn: (sql, models) => `model_id = ANY(${sql.param(models)}::text[])`,
    summaryAggregates: `count(*) AS trials,
       count(*) FILTER (WHERE success) AS wins,
       count(*) FILTER (WHERE timeout) AS timeouts,
       sum(tokens_used) AS total_tokens,
       sum(cost_usd) AS total_cost,
       coalesce(sum(latency_ms), 0) AS total_latency_ms,
       count(latency_ms) AS latency_samples,
       max("timestamp") AS last_used`,
  };
}
