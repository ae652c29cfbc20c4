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

function asText(value: SQLOutputValue | undefined, column: string): string {
  if (typeof value !== 'string') throw unexpected(column, value, 'text');
  return value;
}

function asNullableText(value: SQLOutputValue | undefined, column: string): string | null {
  return value === null ? null : asText(value, column);
}

function asNumber(value: SQLOutputValue | undefined, column: string): number {
  if (typeof value !== 'number') throw unexpected(column, value, 'a number');
  return value;
}

export function text(row: Row, column: string): string {
  return asText(row[column], column);
}

export function nullableText(row: Row, column: string): string | null {
  return asNullableText(row[column], column);
}

export function number(row: Row, column: string): number {
  return asNumber(row[column], column);
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
    tokensUsed: nullableNumber(row, 'tokens_used'),
    costUsd: nullableNumber(row, 'cost_usd'),
    latencyMs: nullableNumber(row, 'latency_ms'),
    timestamp: text(row, 'timestamp'),
  };
}

/** A row read as an array, its values in the order of the SELECT's columns. */
export type Values = readonly SQLOutputValue[];

/** The model_stats columns, in the order toStats reads them. */
export const STATS_COLUMNS =
  'task_type, model_id, successes, failures, timeouts, total_tokens, total_cost, total_latency_ms, latency_samples, ' +
  'last_used, token_samples, cost_samples, fast_successes, fast_failures, slow_successes, slow_failures';

/** Stats rows are read as arrays: on the ranking path, building an object per row was most of the cost. */
export function toStats(values: Values): ModelStats {
  return toModelStats(asText(values[0], 'task_type'), asText(values[1], 'model_id'), {
    successes: asNumber(values[2], 'successes'),
    failures: asNumber(values[3], 'failures'),
    timeouts: asNumber(values[4], 'timeouts'),
    totalTokens: asNumber(values[5], 'total_tokens'),
    totalCost: asNumber(values[6], 'total_cost'),
    totalLatencyMs: asNumber(values[7], 'total_latency_ms'),
    latencySamples: asNumber(values[8], 'latency_samples'),
    lastUsed: asNullableText(values[9], 'last_used'),
    tokenSamples: asNumber(values[10], 'token_samples'),
    costSamples: asNumber(values[11], 'cost_samples'),
    fastSuccesses: asNumber(values[12], 'fast_successes'),
    fastFailures: asNumber(values[13], 'fast_failures'),
    slowSuccesses: asNumber(values[14], 'slow_successes'),
    slowFailures: asNumber(values[15], 'slow_failures'),
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
    totalTokens: nullableNumber(row, 'total_tokens'),
    totalCost: nullableNumber(row, 'total_cost'),
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
    tokenSamples: number(row, 'token_samples'),
    totalCost: number(row, 'total_cost'),
    costSamples: number(row, 'cost_samples'),
    totalLatencyMs: number(row, 'total_latency_ms'),
    latencySamples: number(row, 'latency_samples'),
    lastUsed: text(row, 'last_used'),
  };
}
