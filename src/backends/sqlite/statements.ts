import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * Prepares each SQL text once per connection. The texts are a fixed set (filters only switch conditions
 * on or off; value lists go through json_each), so the cache stays small.
 */
export class StatementCache {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
