import type { DatabaseSync } from 'node:sqlite';
import type { Outcome } from '../../core/types.js';
import { inWriteTransaction, type StatementCache } from './connection.js';
import { OUTCOME_COLUMNS, toOutcome } from './rows.js';

const FIND_OUTCOME = `SELECT ${OUTCOME_COLUMNS} FROM model_outcomes WHERE outcome_id = ?`;

/** Adds one outcome to its stats row, creating the row on the first outcome of a (task, model) pair. */
export const ADD_TO_STATS = `
INSERT INTO model_stats (task_type, model_id, successes, failures, timeouts, total_tokens, total_cost,
                         total_latency_ms, latency_samples, last_used)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (task_type, model_id) DO UPDATE SET
  successes = successes + excluded.successes,
  failures = failures + excluded.failures,
  timeouts = timeouts + excluded.timeouts,
  total_tokens = total_tokens + excluded.total_tokens,
  total_cost = total_cost + excluded.total_cost,
  total_latency_ms = total_latency_ms + excluded.total_latency_ms,
  latency_samples = latency_samples + excluded.latency_samples,
  last_used = CASE WHEN last_used IS NULL OR excluded.last_used > last_used THEN excluded.last_used ELSE last_used END`;

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
  const latency = outcome.latencyMs;
  // The stats row goes first: model_outcomes references it, and foreign keys are enforced.
  statements
    .get(ADD_TO_STATS)
    .run(
      outcome.taskType,
      outcome.modelId,
      outcome.success ? 1 : 0,
      outcome.success ? 0 : 1,
      outcome.timeout ? 1 : 0,
      outcome.tokensUsed,
      outcome.costUsd,
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
      outcome.tokensUsed,
      outcome.costUsd,
      latency,
      outcome.timestamp,
    );
  return outcome;
}
