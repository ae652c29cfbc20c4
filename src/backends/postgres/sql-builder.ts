export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** Collects a query's values as numbered placeholders ($1, $2, ...) and the conditions its filters switch on. */
export class SqlBuilder {
  readonly values: unknown[] = [];
  readonly #conditions: string[] = [];

  /** The placeholder of a new value. */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  where(condition: string): this {
    this.#conditions.push(condition);
    return this;
  }

  whereSql(): string {
    return this.#conditions.length === 0 ? '' : `WHERE ${this.#conditions.join(' AND ')}`;
  }
}
