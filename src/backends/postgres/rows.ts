import type { BaselineEntry } from '../../core/baselines.js';
import { compareText, type StatsCounters, toModelStats } from '../../core/stats.js';
import type { ModelStats, Outcome, SummaryRow } from '../../core/types.js';
import type { Queryable, Row } from './database.js';
import { UnexpectedColumnError } from './postgres-errors.js';
import type { Tables } from './queries.js';

/** The model_outcomes columns, in the order toOutcome reads them ("timestamp" quoted: it is also a type name). */
export const OUTCOME_COLUMNS =
  'outcome_id, task_type, model_id, success, timeout, tokens_used, cost_usd, latency_ms, "timestamp"';

/** The columns model_baselines and federated_stats share, in the order toBaselineEntry reads them. */
export const BASELINE_COLUMNS =
  'task_type, model_id, successes, failures, timeouts, total_tokens, total_cost, last_used';

function unexpected(column: string, value: unknown, expected: string): UnexpectedColumnError {
  const actual = value === undefined ? 'no such column' : value === null ? 'NULL' : typeof value;
  return new UnexpectedColumnError(`column ${column} holds ${actual}, expected ${expected}`);
}

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw unexpected(column, value, 'text');
  return value;
}

export function nullableText(row: Row, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

/** A bigint, count or sum of bigints: pg returns those as decimal strings, to lose no digit. */
export function count(row: Row, column: string): number {
  const value = row[column];
  const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed)) throw unexpected(column, value, 'a whole number');
  return parsed;
}

/** A double precision column or sum, which pg returns as a number. */
export function real(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number') throw unexpected(column, value, 'a number');
  return value;
}

function flag(row: Row, column: string): boolean {
  const value = row[column];
  if (typeof value !== 'boolean') throw unexpected(column, value, 'a boolean');
  return value;
}

export function toOutcome(row: Row): Outcome {
  return {
    id: text(row, 'outcome_id'),
    taskType: text(row, 'task_type'),
    modelId: text(row, 'model_id'),
    success: flag(row, 'success'),
    timeout: flag(row, 'timeout'),
    tokensUsed: row.tokens_used === null ? null : count(row, 'tokens_used'),
    costUsd: row.cost_usd === null ? null : real(row, 'cost_usd'),
    latencyMs: row.latency_ms === null ? null : real(row, 'latency_ms'),
    timestamp: text(row, 'timestamp'),
  };
}

export function toStats(row: Row): ModelStats {
  return toModelStats(text(row, 'task_type'), text(row, 'model_id'), {
    successes: count(row, 'successes'),
    failures: count(row, 'failures'),
    timeouts: count(row, 'timeouts'),
    totalTokens: count(row, 'total_tokens'),
    tokenSamples: count(row, 'token_samples'),
    totalCost: real(row, 'total_cost'),
    costSamples: count(row, 'cost_samples'),
    totalLatencyMs: real(row, 'total_latency_ms'),
    latencySamples: count(row, 'latency_samples'),
    lastUsed: nullableText(row, 'last_used'),
    fastSuccesses: real(row, 'fast_successes'),
    fastFailures: real(row, 'fast_failures'),
    slowSuccesses: real(row, 'slow_successes'),
    slowFailures: real(row, 'slow_failures'),
  });
}

export function toBaselineEntry(row: Row): BaselineEntry {
  return {
    taskType: text(row, 'task_type'),
    modelId: text(row, 'model_id'),
    successes: count(row, 'successes'),
    failures: count(row, 'failures'),
    timeouts: count(row, 'timeouts'),
    totalTokens: row.total_tokens === null ? null : count(row, 'total_tokens'),
    totalCost: row.total_cost === null ? null : real(row, 'total_cost'),
    lastUsed: nullableText(row, 'last_used'),
  };
}

export function toSummaryRow(row: Row): SummaryRow {
  return {
    modelId: nullableText(row, 'model_id'),
    day: nullableText(row, 'day'),
    trials: count(row, 'trials'),
    wins: count(row, 'wins'),
    timeouts: count(row, 'timeouts'),
    totalTokens: count(row, 'total_tokens'),
    tokenSamples: count(row, 'token_samples'),
    totalCost: real(row, 'total_cost'),
    costSamples: count(row, 'cost_samples'),
    totalLatencyMs: real(row, 'total_latency_ms'),
    latencySamples: count(row, 'latency_samples'),
    lastUsed: text(row, 'last_used'),
  };
}

export interface Pair {
  taskType: string;
  modelId: string;
}

export type PairCounters = Map<string, Pair & { counters: StatsCounters }>;

export function pairKey({ taskType, modelId }: Pair): string {
  return JSON.stringify([taskType, modelId]);
}

/**
 * Locks the pairs' stats rows for this transaction and reads them, creating a missing row empty (as the
 * first outcome of a pair would). One upsert locks them all, in (task type, model) order: every writer
 * takes its locks in that order, so two batches over the same pairs wait for each other instead of
 * deadlocking. The no-op update only exists to lock and return a row that is already there.
 */
export async function lockPairs(db: Queryable, t: Tables, pairs: Iterable<Pair>): Promise<PairCounters> {
  const unique = new Map<string, Pair>();
  for (const pair of pairs) unique.set(pairKey(pair), pair);
  const sorted = [...unique.values()].sort(
    (a, b) => compareText(a.taskType, b.taskType) || compareText(a.modelId, b.modelId),
  );
  const result = await db.query(
    `INSERT INTO ${t.stats} AS stats (task_type, model_id)
     SELECT task_type, model_id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(task_type, model_id, n)
     ORDER BY n
     ON CONFLICT (task_type, model_id) DO UPDATE SET successes = stats.successes
     RETURNING *`,
    [sorted.map((pair) => pair.taskType), sorted.map((pair) => pair.modelId)],
  );
  const locked: PairCounters = new Map();
  for (const row of result.rows) {
    const { taskType, modelId, samples: _samples, successRate: _rate, ...counters } = toStats(row);
    locked.set(pairKey({ taskType, modelId }), { taskType, modelId, counters });
  }
  return locked;
}

/** Writes the pairs' counters back (rows locked by lockPairs), in one statement. */
export async function writePairs(db: Queryable, t: Tables, pairs: PairCounters): Promise<void> {
  const rows = [...pairs.values()];
  const column = <K extends keyof StatsCounters>(key: K): Array<StatsCounters[K]> =>
    rows.map((row) => row.counters[key]);
  await db.query(
    `UPDATE ${t.stats} AS stats
     SET successes = v.successes, failures = v.failures, timeouts = v.timeouts, total_tokens = v.total_tokens,
         total_cost = v.total_cost, total_latency_ms = v.total_latency_ms, latency_samples = v.latency_samples,
         last_used = v.last_used, token_samples = v.token_samples, cost_samples = v.cost_samples,
         fast_successes = v.fast_successes, fast_failures = v.fast_failures,
         slow_successes = v.slow_successes, slow_failures = v.slow_failures
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[],
                 $7::double precision[], $8::double precision[], $9::bigint[], $10::text[], $11::bigint[],
                 $12::bigint[], $13::double precision[], $14::double precision[], $15::double precision[],
                 $16::double precision[])
          AS v(task_type, model_id, successes, failures, timeouts, total_tokens, total_cost, total_latency_ms,
               latency_samples, last_used, token_samples, cost_samples, fast_successes, fast_failures,
               slow_successes, slow_failures)
     WHERE stats.task_type = v.task_type AND stats.model_id = v.model_id`,
    [
      rows.map((row) => row.taskType),
      rows.map((row) => row.modelId),
      column('successes'),
      column('failures'),
      column('timeouts'),
      column('totalTokens'),
      column('totalCost'),
      column('totalLatencyMs'),
      column('latencySamples'),
      column('lastUsed'),
      column('tokenSamples'),
      column('costSamples'),
      column('fastSuccesses'),
      column('fastFailures'),
      column('slowSuccesses'),
      column('slowFailures'),
    ],
  );
}
