import type { SqlDialect } from '../../core/sql-query.js';
import { OUTCOME_COLUMNS } from './rows.js';

/**
 * The schema-qualified names of the store's tables. A schema cannot be a bound parameter, so it is
 * spliced into the SQL text: it is a checked lower-case identifier (isSchemaName), and quoted anyway.
 */
export interface Tables {
  schema: string;
  stats: string;
  outcomes: string;
  sources: string;
  baselines: string;
  federated: string;
  version: string;
}

export function tablesIn(schema: string): Tables {
  const quoted = `"${schema}"`;
  return {
    schema: quoted,
    stats: `${quoted}.model_stats`,
    outcomes: `${quoted}.model_outcomes`,
    sources: `${quoted}.imported_sources`,
    baselines: `${quoted}.model_baselines`,
    federated: `${quoted}.federated_stats`,
    version: `${quoted}.schema_version`,
  };
}

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
       coalesce(sum(tokens_used), 0) AS total_tokens,
       count(tokens_used) AS token_samples,
       coalesce(sum(cost_usd), 0) AS total_cost,
       count(cost_usd) AS cost_samples,
       coalesce(sum(latency_ms), 0) AS total_latency_ms,
       count(latency_ms) AS latency_samples,
       max("timestamp") AS last_used`,
  };
}
