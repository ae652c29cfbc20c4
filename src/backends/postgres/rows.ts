import type { BaselineEntry } from '../../core/baselines.js';
import { toModelStats } from '../../core/stats.js';
import type { ModelStats, Outcome, SummaryRow } from '../../core/types.js';
import type { Row } from './database.js';
import { UnexpectedColumnError } from './postgres-errors.js';

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
