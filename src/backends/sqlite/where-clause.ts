import type { SQLInputValue } from 'node:sqlite';

export interface SqlQuery {
  sql: string;
  params: SQLInputValue[];
}

/** Collects the conditions a query's filters switch on, with their values in placeholder order. */
export class WhereClause {
  readonly #conditions: string[] = [];
  readonly params: SQLInputValue[] = [];

  add(condition: string, ...values: SQLInputValue[]): this {
    this.#conditions.push(condition);
    this.params.push(...values);
    return this;
  }

  toSql(): string {
    return this.#conditions.length === 0 ? '' : `WHERE ${this.#conditions.join(' AND ')}`;
  }
}
