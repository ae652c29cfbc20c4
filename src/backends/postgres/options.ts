import {
  checkOption,
  DEFAULT_SETTINGS,
  type PostgresOptions,
  type ResolvedBackendOptions,
  RULES,
  redactUrl,
  resolveBackendOptions,
} from '../../core/options.js';

// An interface rather than an alias, so that PostgreSQL-only options can join it later.
export interface PostgresStoreOptions extends PostgresOptions {}

/**
 * The options checked, with defaults filled in. `url` may hold a password: print `location` instead.
 * busyTimeoutMs is how long a statement waits for a row lock another connection holds (lock_timeout).
 */
export interface PostgresSettings extends ResolvedBackendOptions {
  url: string;
  /** The server's URL with any password replaced by ***. */
  location: string;
  schema: string;
  poolSize: number;
  statementTimeoutMs: number;
}

export function resolveSettings(options: PostgresStoreOptions): PostgresSettings {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('openPostgresStore expects an options object with at least { dir, url }');
  }
  const common = resolveBackendOptions(options, 'PostgreSQL', 'openPostgresStore');
  const {
    url,
    schema = DEFAULT_SETTINGS.postgresSchema,
    poolSize = DEFAULT_SETTINGS.poolSize,
    statementTimeoutMs = DEFAULT_SETTINGS.statementTimeoutMs,
  } = options;
  checkOption('PostgreSQL', 'url', RULES.url, url);
  checkOption('PostgreSQL', 'schema', RULES.postgresSchema, schema);
  checkOption('PostgreSQL', 'poolSize', RULES.poolSize, poolSize);
  checkOption('PostgreSQL', 'statementTimeoutMs', RULES.statementTimeoutMs, statementTimeoutMs);
  return { ...common, url, location: redactUrl(url), schema, poolSize, statementTimeoutMs };
}
