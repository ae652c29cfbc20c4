import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite';

/**
 * Baseline (c) for getRankedModels: the migration guide's ranking, one SQL query on the same database
 * file, rows as node:sqlite returns them. No minimum sample count, no confidence bound, no validation.
 */
const RANKING_SQL = `
SELECT model_id, successes, failures, successes * 1.0 / (successes + failures) AS success_rate
FROM model_stats
WHERE task_type = ?
ORDER BY successes * 1.0 / (successes + failures) DESC`;

export class RawRankingQuery {
  readonly #statement: StatementSync;

  constructor(db: DatabaseSync) {
    this.#statement = db.prepare(RANKING_SQL);
  }

  rank(taskType: string): Record<string, SQLOutputValue>[] {
    return this.#statement.all(taskType);
  }
}
