import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite';

/**
 * A baseline for trend(): the daily attempts and wins per model that a hand-written dashboard would ask
 * SQLite for, on the same database file. trend() adds validation, the window arithmetic and the
 * filling of days without attempts on top of an equivalent query.
 */
const TREND_SQL = `
SELECT substr(timestamp, 1, 10) AS day, model_id, count(*) AS attempts, sum(success) AS wins
FROM model_outcomes
WHERE task_type = ? AND timestamp >= ? AND timestamp < ?
GROUP BY day, model_id
ORDER BY day, model_id`;

export class RawTrendQuery {
  readonly #statement: StatementSync;

  constructor(db: DatabaseSync) {
    this.#statement = db.prepare(TREND_SQL);
  }

  trend(taskType: string, since: string, until: string): Record<string, SQLOutputValue>[] {
    return this.#statement.all(taskType, since, until);
  }
}
