import path from 'node:path';
import { DEFAULT_BUSY_TIMEOUT_MS, type PostgresOptions, type Selection } from '../../core/backend-options.js';
import { ModelPerfError } from '../../core/errors.js';
import { type Logger, stderrLogger } from '../../core/logger.js';
import { isSchemaName, parsePostgresUrl, redactUrl } from '../../core/postgres-settings.js';

// An interface rather than an alias, so that PostgreSQL-only options can join it later.
export interface PostgresStoreOptions extends PostgresOptions {}

export const DEFAULT_SCHEMA = 'model_perf';
export const DEFAULT_POOL_SIZE = 4;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const MAX_POOL_SIZE = 100;
/** statement_timeout and lock_timeout are 32-bit ints of milliseconds on the server. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The options checked, with defaults filled in. `url` may hold a password: print `location` instead. */
export interface PostgresSettings {
  dir: string;
  url: string;
  /** The server's URL with any password replaced by ***. */
  location: string;
  schema: string;
  poolSize: number;
  statementTimeoutMs: number;
  /** How long a statement waits for a row lock another connection holds (lock_timeout). */
  busyTimeoutMs: number;
  logger: Logger;
  selection: Selection;
}

function invalid(field: string, problem: string): ModelPerfError {
  return new ModelPerfError('MP_CONFIG', `Invalid PostgreSQL store option ${field}: ${problem}`, { field });
}

function checkMilliseconds(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_TIMEOUT_MS) {
    throw invalid(field, `expected whole milliseconds from 0 to ${MAX_TIMEOUT_MS}`);
  }
  return value;
}

export function resolveSettings(options: PostgresStoreOptions): PostgresSettings {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('openPostgresStore expects an options object with at least { dir, url }');
  }
  const {
    dir,
    url,
    schema = DEFAULT_SCHEMA,
    poolSize = DEFAULT_POOL_SIZE,
    statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS,
    busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
    logger,
    selection,
  } = options;
  if (typeof dir !== 'string' || dir.trim().length === 0) throw invalid('dir', 'expected a directory path');
  // The value is never echoed: it may hold a password.
  if (typeof url !== 'string' || parsePostgresUrl(url) === undefined) {
    throw invalid('url', 'expected a postgres:// or postgresql:// URL with a host');
  }
  if (typeof schema !== 'string' || !isSchemaName(schema)) {
    throw invalid('schema', 'expected a lower-case identifier such as "model_perf" (letters, digits, _; not pg_...)');
  }
  if (!Number.isSafeInteger(poolSize) || poolSize < 1 || poolSize > MAX_POOL_SIZE) {
    throw invalid('poolSize', `expected a whole number of connections from 1 to ${MAX_POOL_SIZE}`);
  }
  return {
    dir: path.resolve(dir),
    url,
    location: redactUrl(url),
    schema,
    poolSize,
    statementTimeoutMs: checkMilliseconds(statementTimeoutMs, 'statementTimeoutMs'),
    busyTimeoutMs: checkMilliseconds(busyTimeoutMs, 'busyTimeoutMs'),
    logger: logger ?? stderrLogger,
    selection: selection ?? { reason: 'PostgreSQL: opened directly', degraded: false, warnings: [] },
  };
}
