import path from 'node:path';
import { ModelPerfError } from './errors.js';
import { type Logger, stderrLogger } from './logger.js';

/**
 * Every option of model-perf, its default and its limit, defined once: openStore's settings and each
 * backend's options check a value with the same rule, so a value the settings accept is never refused
 * later by a backend. A backend adds only options of its own (SQLite's onCorrupt).
 */

export type Durability = 'normal' | 'full';

/** 'postgres' is never picked by 'auto': a fleet database is chosen on purpose, with its URL. */
export type BackendChoice = 'auto' | 'sqlite' | 'json' | 'postgres';

/** How openStore chose a backend; a backend opened directly describes itself. */
export interface Selection {
  reason: string;
  degraded: boolean;
  warnings: string[];
}

/** What every backend takes when it opens a store dir. */
export interface BackendOptions {
  dir: string;
  /** 'normal' survives process crashes; 'full' also survives power loss, at a cost per write. */
  durability?: Durability;
  /** How long a write waits for another process's lock before MP_LOCKED. Default 5000 ms. */
  busyTimeoutMs?: number;
  logger?: Logger;
  selection?: Selection;
}

/** What the PostgreSQL backend takes: the server, and the dir where it keeps its local files. */
export interface PostgresOptions extends BackendOptions {
  /** postgres://user@host:port/database. A password in it is never printed (info shows it redacted). */
  url: string;
  /** The schema that holds the tables, created on first use. Default 'model_perf'. */
  schema?: string;
  /** Connections this store keeps at most. Default 4. */
  poolSize?: number;
  /** How long one statement may run before the server cancels it; 0 for no limit. Default 30000. */
  statementTimeoutMs?: number;
}

/** The settings a store dir's config file and the environment may also give. */
export interface StoreSettings {
  /** 'auto' (default) picks SQLite where Node supports it and the rollout includes this dir. */
  backend: BackendChoice;
  /**
   * When SQLite cannot start, or PostgreSQL cannot be reached, record into local JSON files instead of
   * failing. Default true.
   */
  fallback: boolean;
  /** The Node versions on which 'auto' picks SQLite (a semver range). Default '>=24'. */
  sqliteNodeRange: string;
  /** The percentage of store dirs on which 'auto' picks SQLite, stable per dir. Default 100. */
  sqliteRollout: number;
  durability: Durability;
  busyTimeoutMs: number;
  /** When a SQLite store opens, absorb a legacy model-performance.json and degraded JSON data. Default true. */
  migrate: boolean;
  /**
   * The PostgreSQL server of backend 'postgres', e.g. postgres://runtime@db.internal:5432/fleet. Prefer
   * $MODEL_PERF_PG_URL (or a password in ~/.pgpass or $PGPASSWORD): the config file may not hold a password.
   */
  url: string | undefined;
  /** The PostgreSQL schema that holds the tables, created on first use. Default 'model_perf'. */
  postgresSchema: string;
  /** Connections each process keeps to PostgreSQL at most. Default 4. */
  poolSize: number;
  /** How long one PostgreSQL statement may run before it is cancelled (MP_LOCKED); 0 for no limit. Default 30000. */
  statementTimeoutMs: number;
}

export interface OpenStoreOptions extends Partial<StoreSettings> {
  /** The store dir. Default: $MODEL_PERF_DIR, else '.model-perf' in the working directory. */
  dir?: string;
  logger?: Logger;
}

export const DEFAULT_SETTINGS: Readonly<StoreSettings> = Object.freeze({
  backend: 'auto',
  fallback: true,
  sqliteNodeRange: '>=24',
  sqliteRollout: 100,
  durability: 'normal',
  busyTimeoutMs: 5000,
  migrate: true,
  url: undefined,
  postgresSchema: 'model_perf',
  poolSize: 4,
  statementTimeoutMs: 30_000,
});

export const DEFAULT_DIR = '.model-perf';
export const CONFIG_FILE = 'model-perf.config.json';

/**
 * The largest timeout: sqlite3_busy_timeout takes a C int, PostgreSQL's statement_timeout and
 * lock_timeout are 32-bit ints, and a Node timer fires at once beyond it.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
export const MAX_POOL_SIZE = 100;

/**
 * Upper bounds on what one outcome may carry. No real model call comes near them (the largest context
 * windows hold a few million tokens, the dearest calls cost dollars, a call that runs for days has
 * failed long before), yet they keep every sum finite and exact: a billion outcomes at the cost bound
 * still sum far below Number.MAX_VALUE, and 90 million at the token bound stay below 2^53.
 */
export const MAX_COST_USD = 100_000;
export const MAX_LATENCY_MS = 1_000_000_000;
export const MAX_TOKENS_USED = 100_000_000;

/**
 * Bounds on one imported aggregate (a legacy baseline, a federated prior): a trillion samples, and the
 * per-outcome bounds times a billion for the sums, so that a baseline plus any outcomes stays exact.
 */
export const MAX_IMPORTED_COUNT = 1_000_000_000_000;
export const MAX_IMPORTED_TOKENS = 1_000_000_000_000_000;
export const MAX_IMPORTED_COST_USD = 100_000_000_000_000;

/** The limit that applies to each bounded field of an outcome, named in the error message. */
export const OUTCOME_LIMITS = {
  costUsd: { max: MAX_COST_USD, name: 'MAX_COST_USD' },
  latencyMs: { max: MAX_LATENCY_MS, name: 'MAX_LATENCY_MS' },
  tokensUsed: { max: MAX_TOKENS_USED, name: 'MAX_TOKENS_USED' },
} as const;

/** ...and of each bounded field of an imported aggregate. */
export const IMPORTED_LIMITS = {
  successes: { max: MAX_IMPORTED_COUNT, name: 'MAX_IMPORTED_COUNT' },
  failures: { max: MAX_IMPORTED_COUNT, name: 'MAX_IMPORTED_COUNT' },
  timeouts: { max: MAX_IMPORTED_COUNT, name: 'MAX_IMPORTED_COUNT' },
  totalTokens: { max: MAX_IMPORTED_TOKENS, name: 'MAX_IMPORTED_TOKENS' },
  totalCost: { max: MAX_IMPORTED_COST_USD, name: 'MAX_IMPORTED_COST_USD' },
} as const;

/** Each rule gives what was expected when a value breaks it, else undefined. */
type Rule = (value: unknown) => string | undefined;

function wholeNumber(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

export const RULES = {
  durability: (value) => (value === 'normal' || value === 'full' ? undefined : 'expected "normal" or "full"'),
  busyTimeoutMs: (value) =>
    wholeNumber(value, 0, MAX_TIMEOUT_MS) ? undefined : `expected whole milliseconds from 0 to ${MAX_TIMEOUT_MS}`,
  statementTimeoutMs: (value) =>
    wholeNumber(value, 0, MAX_TIMEOUT_MS)
      ? undefined
      : `expected whole milliseconds from 0 (no limit) to ${MAX_TIMEOUT_MS}`,
  poolSize: (value) =>
    wholeNumber(value, 1, MAX_POOL_SIZE)
      ? undefined
      : `expected a whole number of connections from 1 to ${MAX_POOL_SIZE}`,
  postgresSchema: (value) =>
    typeof value === 'string' && isSchemaName(value)
      ? undefined
      : 'expected a lower-case identifier such as "model_perf" (letters, digits, _; not pg_...)',
  url: (value) =>
    typeof value === 'string' && parsePostgresUrl(value) !== undefined
      ? undefined
      : 'expected a postgres:// or postgresql:// URL with a host',
} satisfies Record<string, Rule>;

/** What every backend makes of BackendOptions: checked, defaults filled in, the dir made absolute. */
export interface ResolvedBackendOptions {
  dir: string;
  durability: Durability;
  busyTimeoutMs: number;
  logger: Logger;
  selection: Selection;
}

/**
 * Checks the options every backend takes. `backend` names it in messages ("SQLite"); `opener` names the
 * function a TypeError blames. A value is never echoed: a URL may hold a password.
 */
export function resolveBackendOptions(
  options: BackendOptions,
  backend: string,
  opener: string,
): ResolvedBackendOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${opener} expects an options object with at least { dir }`);
  }
  const { dir, durability = DEFAULT_SETTINGS.durability, busyTimeoutMs = DEFAULT_SETTINGS.busyTimeoutMs } = options;
  if (typeof dir !== 'string' || dir.trim().length === 0) {
    throw invalidOption(backend, 'dir', 'expected a directory path');
  }
  checkOption(backend, 'durability', RULES.durability, durability);
  checkOption(backend, 'busyTimeoutMs', RULES.busyTimeoutMs, busyTimeoutMs);
  return {
    dir: path.resolve(dir),
    durability,
    busyTimeoutMs,
    logger: options.logger ?? stderrLogger,
    selection: options.selection ?? { reason: `${backend}: opened directly`, degraded: false, warnings: [] },
  };
}

export function invalidOption(backend: string, field: string, problem: string): ModelPerfError {
  return new ModelPerfError('MP_CONFIG', `Invalid ${backend} store option ${field}: ${problem}`, { field });
}

/** Throws MP_CONFIG naming the backend's option when the value breaks the rule. */
export function checkOption(backend: string, field: string, rule: Rule, value: unknown): void {
  const problem = rule(value);
  if (problem !== undefined) throw invalidOption(backend, field, problem);
}

// PostgreSQL URLs and schema names. A URL may carry a password, so it is never printed as given:
// messages, logs and info show redactUrl's form.
const PROTOCOLS = new Set(['postgres:', 'postgresql:']);
/** Query parameters libpq and pg read as secrets. */
const SECRET_PARAMETERS = ['password', 'sslpassword'];
const REDACTED = '***';

/** The URL when the text is a postgres:// or postgresql:// URL with a host, else undefined. */
export function parsePostgresUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  return PROTOCOLS.has(url.protocol) && url.hostname !== '' ? url : undefined;
}

/** The URL with every secret replaced by ***, safe for messages, logs and info; text that is no URL is hidden whole. */
export function redactUrl(text: string): string {
  const url = parsePostgresUrl(text);
  if (url === undefined) return '(an invalid PostgreSQL URL)';
  if (url.password !== '') url.password = REDACTED;
  for (const name of SECRET_PARAMETERS) {
    if (url.searchParams.has(name)) url.searchParams.set(name, REDACTED);
  }
  return url.toString();
}

/**
 * A schema name spliced into SQL (identifiers cannot be bound as parameters): lower case, so that it
 * means the same quoted or not, within PostgreSQL's 63 bytes, and outside the reserved pg_ prefix.
 */
export function isSchemaName(name: string): boolean {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name) && !name.startsWith('pg_');
}
