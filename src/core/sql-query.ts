import type { Outcome } from './types.js';
import type { NormalizedOutcomeQuery, NormalizedStatsFilter, NormalizedSummaryQuery } from './validation.js';

/**
 * The queries both SQL backends run, written once: one query shape (text and values), one builder whose
 * placeholders come from the dialect ('?' for SQLite, '$1' for PostgreSQL), and what differs between the
 * two dialects named in SqlDialect. A value always joins the query where its placeholder is written, so
 * positional '?' placeholders and numbered ones give the same statement.
 */
export type SqlValue = string | number | null | readonly string[];

export interface SqlQuery {
  text: string;
  values: SqlValue[];
}

export interface SqlDialect {
  /** The placeholder of the value at this 1-based position. */
  placeholder(position: number): string;
  outcomesTable: string;
  statsTable: string;
  /** The outcome columns in the order the backend's toOutcome reads them. */
  outcomeColumns: string;
  statsColumns: string;
  /** The timestamp column as SQL text ("timestamp" is also a type name in PostgreSQL). */
  timestamp: string;
  /** NULL as a text column of a result. */
  nullText: string;
  /** model_id is one of the models: one value for any number of them keeps the SQL text (and statement) the same. */
  modelIn(sql: SqlBuilder, models: readonly string[]): string;
  /** A summary row's aggregates: trials, wins, timeouts, tokens, cost, latency, last_used. */
  summaryAggregates: string;
}

/** Collects a query's values, giving each its placeholder, and the conditions its filters switch on. */
export class SqlBuilder {
  readonly values: SqlValue[] = [];
  readonly #conditions: string[] = [];
  readonly #placeholder: (position: number) => string;

  constructor(dialect: Pick<SqlDialect, 'placeholder'>) {
    this.#placeholder = dialect.placeholder;
  }

  /** The placeholder of a new value. */
  param(value: SqlValue): string {
    this.values.push(value);
    return this.#placeholder(this.values.length);
  }

  where(condition: string): this {
    this.#conditions.push(condition);
    return this;
  }

  whereSql(): string {
    return this.#conditions.length === 0 ? '' : `WHERE ${this.#conditions.join(' AND ')}`;
  }
}

/** A builder whose conditions start with the task type and model id the query filters on, if any. */
function byPair(d: SqlDialect, filter: { taskType?: string; modelId?: string }): SqlBuilder {
  const sql = new SqlBuilder(d);
  if (filter.taskType !== undefined) sql.where(`task_type = ${sql.param(filter.taskType)}`);
  if (filter.modelId !== undefined) sql.where(`model_id = ${sql.param(filter.modelId)}`);
  return sql;
}

export function statsQuery(d: SqlDialect, taskType: string, modelId: string): SqlQuery {
  const sql = byPair(d, { taskType, modelId });
  return { text: `SELECT ${d.statsColumns} FROM ${d.statsTable} ${sql.whereSql()}`, values: sql.values };
}

/** Ordered by the primary key, whose binary ("C") collation is the order listStats promises. */
export function statsListQuery(d: SqlDialect, filter: NormalizedStatsFilter): SqlQuery {
  const sql = byPair(d, filter);
  if (filter.minSamples > 0) sql.where(`successes + failures >= ${sql.param(filter.minSamples)}`);
  return {
    text: `SELECT ${d.statsColumns} FROM ${d.statsTable} ${sql.whereSql()} ORDER BY task_type, model_id`,
    values: sql.values,
  };
}

/**
 * The page of outcomes after `last` (keyset pagination): it seeks past the last row seen in the index on
 * (timestamp, outcome_id) instead of skipping rows with OFFSET, so every page costs the same.
 */
export function outcomePageQuery(
  d: SqlDialect,
  query: NormalizedOutcomeQuery,
  last: Outcome | undefined,
  size: number,
): SqlQuery {
  const sql = byPair(d, query);
  const ts = d.timestamp;
  const ascending = query.order === 'asc';
  // After the first page the cursor replaces the bound it moves away from: kept as well, the database
  // would seek to that bound and filter its way to the cursor on every page.
  const past = (operator: '>' | '<', seen: Outcome): string =>
    `(${ts}, outcome_id) ${operator} (${sql.param(seen.timestamp)}, ${sql.param(seen.id)})`;
  if (ascending && last !== undefined) sql.where(past('>', last));
  else if (query.since !== undefined) sql.where(`${ts} >= ${sql.param(query.since)}`);
  if (!ascending && last !== undefined) sql.where(past('<', last));
  else if (query.until !== undefined) sql.where(`${ts} < ${sql.param(query.until)}`);
  const direction = ascending ? 'ASC' : 'DESC';
  const where = sql.whereSql();
  return {
    text:
      `SELECT ${d.outcomeColumns} FROM ${d.outcomesTable} ${where} ` +
      `ORDER BY ${ts} ${direction}, outcome_id ${direction} LIMIT ${sql.param(size)}`,
    values: sql.values,
  };
}

/** Grouping pushed down to the database. The day is the date part of the ISO 8601 UTC text: the UTC day. */
export function summaryQuery(d: SqlDialect, query: NormalizedSummaryQuery): SqlQuery {
  const sql = byPair(d, query);
  const ts = d.timestamp;
  if (query.models !== undefined) sql.where(d.modelIn(sql, query.models));
  if (query.since !== undefined) sql.where(`${ts} >= ${sql.param(query.since)}`);
  if (query.until !== undefined) sql.where(`${ts} < ${sql.param(query.until)}`);
  const byModel = query.groupBy !== 'day';
  const byDay = query.groupBy !== 'model';
  const groups = [...(byDay ? ['day'] : []), ...(byModel ? ['model_id'] : [])].join(', ');
  return {
    text: `
SELECT ${byModel ? 'model_id' : d.nullText} AS model_id,
       ${byDay ? `substr(${ts}, 1, 10)` : d.nullText} AS day,
       ${d.summaryAggregates}
FROM ${d.outcomesTable} ${sql.whereSql()}
GROUP BY ${groups}
ORDER BY ${groups}`,
    values: sql.values,
  };
}
