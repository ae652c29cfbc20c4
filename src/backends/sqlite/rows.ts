import type { SQLOutputValue } from 'node:sqlite';
import type { BaselineEntry } from '../../core/baselines.js';
import { toModelStats } from '../../core/stats.js';
import type { ModelStats, Outcome, SummaryRow } from '../../core/types.js';
import { UnexpectedColumnError } from './sqlite-errors.js';

export type Row = Record<string, SQLOutputValue>;

/** The model_outcomes columns, in the order toOutcome reads them. */
export const OUTCOME_COLUMNS =
  'outcome_id, task_type, model_id, success, timeout, tokens_used, cost_usd, latency_ms, timestamp';

function unexpected(column: string, value: SQLOutputValue | undefined, expected: string): UnexpectedColumnError {
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

export function number(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number') throw unexpected(column, value, 'a number');
  return value;
}

function nullableNumber(row: Row, column: string): number | null {
  return row[column] === null ? null : number(row, column);
}

export function toOutcome(row: Row): Outcome {
  return {
    id: text(row, 'outcome_id'),
    taskType: text(row, 'task_type'),
    modelId: text(row, 'model_id'),
    success: number(row, 'success') === 1,
    timeout: number(row, 'timeout') === 1,
    tokensUsed: number(row, 'tokens_used'),
    costUsd: number(row, 'cost_usd'),
    latencyMs: nullableNumber(row, 'latency_ms'),
    timestamp: text(row, 'timestamp'),
  };
}

export function toStats(row: Row): ModelStats {
  return toModelStats(text(row, 'task_type'), text(row, 'model_id'), {
    successes: number(row, 'successes'),
    failures: number(row, 'failures'),
    timeouts: number(row, 'timeouts'),
    totalTokens: number(row, 'total_tokens'),
    totalCost: number(row, 'total_cost'),
    totalLatencyMs: number(row, 'total_latency_ms'),
    latencySamples: number(row, 'latency_samples'),
    lastUsed: nullableText(row, 'last_used'),
  });
}

/** The columns model_baselines and federated_stats share, in the order toBaselineEntry reads them. */
export const BASELINE_COLUMNS =
  'task_type, model_id, successes, failures, timeouts, total_tokens, total_cost, last_used';

export function toBaselineEntry(row: Row): BaselineEntry {
  return {
    taskType: text(row, 'task_type'),
    modelId: text(row, 'model_id'),
    successes: number(row, 'successes'),
    failures: number(row, 'failures'),
    timeouts: number(row, 'timeouts'),
    totalTokens: number(row, 'total_tokens'),
    totalCost: number(row, 'total_cost'),
    lastUsed: nullableText(row, 'last_used'),
  };
}

export function toSummaryRow(row: Row): SummaryRow {
  return {
    modelId: nullableText(row, 'model_id'),
    day: nullableText(row, 'day'),
    trials: number(row, 'trials'),
    wins: number(row, 'wins'),
    timeouts: number(row, 'timeouts'),
    totalTokens: number(row, 'total_tokens'),
    totalCost: number(row, 'total_cost'),
    totalLatencyMs: number(row, 'total_latency_ms'),
    latencySamples: number(row, 'latency_samples'),
    lastUsed: text(row, 'last_used'),
  };
}
