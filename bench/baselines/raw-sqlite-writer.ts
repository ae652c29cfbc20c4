import { randomUUID } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { OutcomeInput } from '../../src/index.js';
import { openRawConnection } from './raw-connection.js';

/**
 * Baseline (a): the migration guide's write path written by hand on node:sqlite, into the same schema
 * as the store (a copy of the same database file). Per outcome: upsert the model_stats row, then insert
 * the model_outcomes row — the stats row first, because model_outcomes references it and foreign keys
 * are on — inside BEGIN IMMEDIATE ... COMMIT. It does what any caller must (an id, a timestamp) and
 * nothing the store adds on top: no validation, no duplicate-id lookup, no promise.
 */
const UPSERT_STATS = `
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
  last_used = excluded.last_used`;

const INSERT_OUTCOME = `
INSERT INTO model_outcomes (outcome_id, task_type, model_id, success, timeout, tokens_used, cost_usd, latency_ms, timestamp)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export class RawSqliteWriter {
  readonly #db: DatabaseSync;
  readonly #upsertStats: StatementSync;
  readonly #insertOutcome: StatementSync;

  constructor(file: string) {
    this.#db = openRawConnection(file);
    this.#upsertStats = this.#db.prepare(UPSERT_STATS);
    this.#insertOutcome = this.#db.prepare(INSERT_OUTCOME);
  }

  /** One outcome, one transaction. */
  record(input: OutcomeInput): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#write(input);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Many outcomes, one transaction. */
  recordBatch(inputs: readonly OutcomeInput[]): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const input of inputs) this.#write(input);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    this.#db.close();
  }

  #write(input: OutcomeInput): void {
    const timestamp = new Date().toISOString();
    const latency = input.latencyMs ?? null;
    this.#upsertStats.run(
      input.taskType,
      input.modelId,
      input.success ? 1 : 0,
      input.success ? 0 : 1,
      input.timeout === true ? 1 : 0,
      input.tokensUsed ?? 0,
      input.costUsd ?? 0,
      latency ?? 0,
      latency === null ? 0 : 1,
      timestamp,
    );
    this.#insertOutcome.run(
      randomUUID(),
      input.taskType,
      input.modelId,
      input.success ? 1 : 0,
      input.timeout === true ? 1 : 0,
      input.tokensUsed ?? 0,
      input.costUsd ?? 0,
      latency,
      timestamp,
    );
  }
}
