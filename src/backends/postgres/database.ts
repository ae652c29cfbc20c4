import type pg from 'pg';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { describeError, ModelPerfError } from '../../core/errors.js';
import type { PostgresSettings } from './options.js';
import { isConnectionError, isRetryable } from './postgres-errors.js';

export type PgModule = typeof pg;

/**
 * Imports pg when a PostgreSQL store opens, never before: pg is an optional peer dependency, so
 * importing model-perf (or choosing SQLite or JSON) must work without it.
 */
export async function loadPg(): Promise<PgModule> {
  try {
    return (await import('pg')).default;
  } catch (error) {
    throw new ModelPerfError(
      'MP_BACKEND_UNAVAILABLE',
      `The PostgreSQL backend needs the pg package, which could not be loaded (${describeError(error)}). ` +
        'Install it next to model-perf: npm install pg',
      { cause: error },
    );
  }
}

export type Row = Record<string, unknown>;

/** What runs statements: the pool (one statement, autocommit) or a client inside a transaction. */
export interface Queryable {
  query(text: string, values?: readonly unknown[]): Promise<QueryResult<Row>>;
}

/** How long opening a connection may take before the server counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;
/** The client gives a statement this long past statement_timeout before it gives up on the server. */
const READ_GRACE_MS = 5_000;
/** A deadlock or serialization failure is retried this many times in all before it is MP_LOCKED. */
const TRANSACTION_ATTEMPTS = 3;
/** The application_name in pg_stat_activity when the URL gives none. */
const APPLICATION_NAME = 'model-perf';

/**
 * A pg pool behind a gate of the pool's size (see Gate), with transactions that retry a lost race.
 * One per store; nothing global is configured (pg's type parsers stay as they are: the row decoders
 * read bigint and numeric columns, which pg returns as strings).
 */
export class Database implements Queryable {
  readonly #pool: Pool;
  readonly #gate: Gate;

  constructor(pg: PgModule, settings: PostgresSettings) {
    const { url, poolSize, statementTimeoutMs, busyTimeoutMs, logger } = settings;
    this.#pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      fallback_application_name: APPLICATION_NAME,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // 0 means "no limit" to PostgreSQL, which is what 0 means here too.
      statement_timeout: statementTimeoutMs,
      // 0 means "fail at once" for busyTimeoutMs (as on SQLite), but "wait forever" to PostgreSQL.
      lock_timeout: Math.max(1, busyTimeoutMs),
      // A server that stops answering (a dead network path) would otherwise hang a call for good.
      ...(statementTimeoutMs === 0 ? {} : { query_timeout: statementTimeoutMs + READ_GRACE_MS }),
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      idleTimeoutMillis: 10_000,
      // An idle pool must not keep the runtime's process alive.
      allowExitOnIdle: true,
    });
    // An idle connection the server ends (a restart, pg_terminate_backend) is reported here; without a
    // listener the 'error' event would crash the process. The pool drops it and connects anew.
    this.#pool.on('error', (error) => logger.debug(`An idle PostgreSQL connection ended: ${error.message}`));
    this.#gate = new Gate(poolSize);
  }

  query(text: string, values: readonly unknown[] = []): Promise<QueryResult<Row>> {
    return this.#gate.run(() => this.#pool.query<Row>(text, [...values]));
  }

  /**
   * Runs work in one transaction, committed whole or rolled back. A lost race (deadlock, serialization
   * failure) runs it again: the whole transaction, as PostgreSQL requires.
   */
  async transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#gate.run(() => this.#once(work));
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isRetryable(error)) throw error;
      }
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }

  async #once<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    // The pool listens to idle clients only: a connection that dies while checked out would throw its
    // 'error' event at the process. The failed query reports the same error, so it is only noted here.
    const onError = (): void => {};
    client.on('error', onError);
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = await rollback(client, error);
      throw error;
    } finally {
      client.off('error', onError);
      // An error passed to release() drops the connection instead of handing it to the next caller.
      client.release(broken === undefined ? undefined : toError(broken));
    }
  }
}

/** Rolls back; returns the reason to drop the connection, or undefined when it can be reused. */
async function rollback(client: PoolClient, error: unknown): Promise<unknown> {
  if (isConnectionError(error)) return error;
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (rollbackError) {
    return rollbackError;
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Lets at most `size` operations run at once and queues the rest, without a time limit. The pool's own
 * queue would fail a caller that waits longer than the connect timeout with the very error an
 * unreachable server gives, so a burst of local calls would look like an outage.
 */
export class Gate {
  readonly #size: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#size = size;
  }

  async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running += 1;
    try {
      return await operation();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot take it in between.
      const next = this.#waiting.shift();
      if (next === undefined) this.#running -= 1;
      else next();
    }
  }
}
