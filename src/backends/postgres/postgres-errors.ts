import { describeError, ModelPerfError } from '../../core/errors.js';

/** A column held a value of the wrong type: the tables were changed by hand. */
export class UnexpectedColumnError extends Error {
  override readonly name = 'UnexpectedColumnError';
}

export interface ErrorContext {
  /** The server, redacted, and the schema: what a message names instead of a file. */
  location: string;
  schema: string;
  statementTimeoutMs: number;
  busyTimeoutMs: number;
}

/** Socket errors of a server that is down, unreachable or gone (Node's errno codes). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * pg reports a lost or timed-out connection with a plain Error and no code; these are its messages
 * (pg 8: client.js, pg-pool), the one place where a message has to be matched.
 */
const CONNECTION_LOST = /Connection terminated|timeout exceeded when trying to connect|Query read timeout/;

/** SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) of a server that cannot serve us. */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown: the server stops, or pg_terminate_backend ended this connection
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: no such database
  '25006', // read_only_sql_transaction: a standby after a failover, until the primary is back
]);
const LOCKED_STATES = new Set([
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout
  '40P01', // deadlock_detected, after the retries
  '40001', // serialization_failure, after the retries
]);
const IO_STATES = new Set([
  '53100', // disk_full
  '53200', // out_of_memory
  '58030', // io_error
  '42501', // insufficient_privilege
]);
const CORRUPT_STATES = new Set(['XX001', 'XX002']); // data_corrupted, index_corrupted

function codeOf(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** True for an error that means the server cannot be reached or used now (not a problem of the request). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  if (code === undefined) return CONNECTION_LOST.test(error.message);
  // Class 08: connection exception; class 28: the server refused our credentials.
  return NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08') || code.startsWith('28');
}

/** A deadlock or serialization failure: the transaction lost a race and may simply run again. */
export function isRetryable(error: unknown): boolean {
  const code = codeOf(error);
  return code === '40P01' || code === '40001';
}

/**
 * Turns what pg throws into a typed error naming the server (redacted) and the schema. Anything else
 * (a model-perf error, a bug) passes through unchanged: wrapping it would hide it behind a misleading code.
 */
export function toStoreError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof ModelPerfError) return error;
  const where = `${context.location} (schema ${context.schema})`;
  const cause = describeError(error);
  if (error instanceof UnexpectedColumnError) {
    return new ModelPerfError(
      'MP_CORRUPT_DATA',
      `The model-perf tables in ${where} hold unexpected data: ${cause}. Were they changed by hand?`,
      { cause: error },
    );
  }
  if (isConnectionError(error)) {
    return new ModelPerfError(
      'MP_BACKEND_UNAVAILABLE',
      `PostgreSQL at ${where} cannot be used: ${cause}. Check that the server runs, is reachable from ` +
        'here, and accepts these credentials.',
      { cause: error },
    );
  }
  const code = codeOf(error) ?? '';
  if (LOCKED_STATES.has(code)) {
    return new ModelPerfError(
      'MP_LOCKED',
      `PostgreSQL at ${where} did not finish in time: ${cause}. Other connections held the rows for longer ` +
        `than busyTimeoutMs (${context.busyTimeoutMs} ms), or the statement ran past statementTimeoutMs ` +
        `(${context.statementTimeoutMs} ms). Retry later, or raise them.`,
      { cause: error },
    );
  }
  if (IO_STATES.has(code)) {
    return new ModelPerfError(
      'MP_IO',
      `PostgreSQL at ${where} could not read or write: ${cause}. Check the server's disk and this user's privileges.`,
      { cause: error },
    );
  }
  if (CORRUPT_STATES.has(code)) {
    return new ModelPerfError('MP_CORRUPT_DATA', `PostgreSQL at ${where} reports damaged data: ${cause}.`, {
      cause: error,
    });
  }
  return error;
}
