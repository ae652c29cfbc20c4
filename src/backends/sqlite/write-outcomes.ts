import type { DatabaseSync } from 'node:sqlite';
import { FAST_DECAY, SLOW_DECAY } from '../../core/recency.js';
import type { Outcome } from '../../core/types.js';
import { inWriteTransaction, type StatementCache } from './connection.js';
import { OUTCOME_COLUMNS, toOutcome } from './rows.js';

const FIND_OUTCOME = `SELECT ${OUTCOME_COLUMNS} FROM model_outcomes WHERE outcome_id = ?`;

/** The counters an outcome and a baseline both add to, and last_used, as an upsert's update. */
const ADD_COUNTERS = `
  successes = successes + excluded.successes,
  failures = failures + excluded.failures,
  timeouts = timeouts + excluded.timeouts,
  total_tokens = total_tokens + excluded.total_tokens,
  token_samples = token_samples + excluded.token_samples,
  total_cost = total_cost + excluded.total_cost,
  cost_samples = cost_samples + excluded.cost_samples,
  total_latency_ms = total_latency_ms + excluded.total_latency_ms,
  latency_samples = latency_samples + excluded.latency_samples,
  last_used = CASE WHEN last_used IS NULL OR excluded.last_used > last_used THEN excluded.last_used ELSE last_used END`;

const COUNTER_COLUMNS = `task_type, model_id, successes, failures, timeouts, total_tokens, token_samples, total_cost,
                         cost_samples, total_latency_ms, latency_samples, last_used`;

/**
 * Adds one outcome to its stats row, creating the row on the first outcome of a (task, model) pair, and
 * steps its recency counters (core/recency.ts, whose decays are inlined here) in the same statement.
 * Parameters: task, model, success (0/1), failure (0/1), timeout, tokens, token sample (0/1), cost, cost
 * sample, latency, latency sample, timestamp; the recency columns start from success and failure.
 */
export const ADD_TO_STATS = `
INSERT INTO model_stats (${COUNTER_COLUMNS}, fast_successes, fast_failures, slow_successes, slow_failures)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?3, ?4, ?3, ?4)
ON CONFLICT (task_type, model_id) DO UPDATE SET${ADD_COUNTERS},
  fast_successes = fast_successes * ${FAST_DECAY} + excluded.fast_successes,
  fast_failures = fast_failures * ${FAST_DECAY} + excluded.fast_failures,
  slow_successes = slow_successes * ${SLOW_DECAY} + excluded.slow_successes,
  slow_failures = slow_failures * ${SLOW_DECAY} + excluded.slow_failures`;

/** Adds a baseline's counts to its stats row: history, so the recency counters stay as they are. */
export const ADD_BASELINE_TO_STATS = `
INSERT INTO model_stats (${COUNTER_COLUMNS})
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (task_type, model_id) DO UPDATE SET${ADD_COUNTERS}`;

const INSERT_OUTCOME = `INSERT INTO model_outcomes (${OUTCOME_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * Writes a batch as one transaction. An id already stored, in the database or earlier in the same batch,
 * changes nothing and yields the stored outcome, so a retried record() counts once.
 */
export function writeOutcomes(db: DatabaseSync, statements: StatementCache, outcomes: readonly Outcome[]): Outcome[] {
  return inWriteTransaction(db, () => outcomes.map((outcome) => writeOutcome(statements, outcome)));
}

function writeOutcome(statements: StatementCache, outcome: Outcome): Outcome {
  // Looking up first is race-free: the transaction holds the write lock. It keeps a duplicate from
  // touching stats at all, not even creating an empty row for a (task, model) it names.
  const stored = statements.get(FIND_OUTCOME).get(outcome.id);
  if (stored !== undefined) return toOutcome(stored);
  const { tokensUsed: tokens, costUsd: cost, latencyMs: latency } = outcome;
  // The stats row goes first: model_outcomes references it, and foreign keys are enforced.
  statements
    .get(ADD_TO_STATS)
    .run(
      outcome.taskType,
      outcome.modelId,
      outcome.success ? 1 : 0,
      outcome.success ? 0 : 1,
      outcome.timeout ? 1 : 0,
      tokens ?? 0,
      tokens === null ? 0 : 1,
      cost ?? 0,
      cost === null ? 0 : 1,
      latency ?? 0,
      latency === null ? 0 : 1,
      outcome.timestamp,
    );
  statements
    .get(INSERT_OUTCOME)
    .run(
      outcome.id,
      outcome.taskType,
      outcome.modelId,
      outcome.success ? 1 : 0,
      outcome.timeout ? 1 : 0,
      tokens,
      cost,
      latency,
      outcome.timestamp,
    );
  return outcome;
}
