import type { SqlDialect } from '../../core/sql-query.js';
import { OUTCOME_COLUMNS, STATS_COLUMNS } from './rows.js';

/** The shared SQL queries (core/sql-query.ts) as SQLite runs them. */
export const SQLITE: SqlDialect = {
  placeholder: () => '?',
  outcomesTable: 'model_outcomes',
  statsTable: 'model_stats',
  outcomeColumns: OUTCOME_COLUMNS,
  statsColumns: STATS_COLUMNS,
  timestamp: 'timestamp',
  nullText: 'NULL',
  // A JSON array in one value, read back by json_each.
  modelIn: (sql, models) => `model_id IN (SELECT value FROM json_each(${sql.param(JSON.stringify(models))}))`,
  summaryAggregates: `count(*) AS trials,
       sum(success) AS wins,
       sum(timeout) AS timeouts,
       coalesce(sum(tokens_used), 0) AS total_tokens,
       count(tokens_used) AS token_samples,
       total(cost_usd) AS total_cost,
       count(cost_usd) AS cost_samples,
       total(latency_ms) AS total_latency_ms,
       count(latency_ms) AS latency_samples,
       max(timestamp) AS last_used`,
};
