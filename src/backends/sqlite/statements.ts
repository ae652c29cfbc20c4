import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { Values } from './rows.js';

/**
 * Prepares each SQL text once per connection. The texts are a fixed set (filters only switch conditions
 * on or off; value lists go through json_each), so the cache stays small.
 */
export class StatementCache {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #arrayStatements = new Map<string, StatementSync>();

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

  /**
   * All rows as arrays of their values, in column order. node:sqlite returns arrays from Node 22.16 and
   * 24 on (setReturnArrays); on an older Node the objects' values come in the same order.
   */
  valueRows(sql: string, params: readonly SQLInputValue[]): Values[] {
    let statement = this.#arrayStatements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      if (typeof (statement.setReturnArrays as unknown) === 'function') statement.setReturnArrays(true);
      this.#arrayStatements.set(sql, statement);
    }
    const rows: unknown[] = statement.all(...params);
    return rows.map((row) => (Array.isArray(row) ? (row as Values) : Object.values(row as object)));
  }
}
