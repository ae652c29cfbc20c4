import { resolve } from 'node:path';
import type { BackendOptions, PostgresOptions, Selection } from './backend-options.js';
import { describeError, ModelPerfError } from './errors.js';
import { type Logger, stderrLogger } from './logger.js';
import { DEFAULT_DIR, type OpenStoreOptions, type StoreSettings } from './options.js';
import { readInstallationId, rolloutBucket } from './rollout.js';
import { decideBackend } from './selection.js';
import { mergeSettings, readConfigFile, readEnvironment, readOptions } from './settings.js';
import type { PerformanceStore } from './store.js';

export type BackendOpener = (options: BackendOptions) => Promise<PerformanceStore>;
/** With fallback, a store that records locally while the server is out of reach; without, the server's store alone. */
export type PostgresOpener = (options: PostgresOptions, fallback: boolean) => Promise<PerformanceStore>;

/** The embedded backends, passed in by the package root so that core imports none of them. */
export interface EmbeddedBackends {
  sqlite: BackendOpener;
  json: BackendOpener;
  /** Runs after a SQLite store opens, when the `migrate` setting is on; it must not throw. */
  migrateOnOpen?: (store: PerformanceStore, dir: string, logger: Logger) => Promise<void>;
  /** Absent, backend 'postgres' is unavailable: the package root passes it, so that core imports no backend. */
  postgres?: PostgresOpener;
}

/** The store dir: option, then $MODEL_PERF_DIR, then .model-perf in the working directory. */
export function resolveStoreDir(options: OpenStoreOptions, env: NodeJS.ProcessEnv): string {
  const fromEnv = env.MODEL_PERF_DIR;
  return resolve(options.dir ?? (fromEnv === undefined || fromEnv === '' ? DEFAULT_DIR : fromEnv));
}

/**
 * Opens the best store this process can run: settings from options > environment > config file >
 * defaults; SQLite, JSON or PostgreSQL by those settings; JSON in its place when SQLite cannot start
 * (or PostgreSQL cannot be reached) and fallback allows it.
 */
export async function openEmbeddedStore(
  backends: EmbeddedBackends,
  options: OpenStoreOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<PerformanceStore> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('openStore(options): options must be an object when given');
  }
  const dir = resolveStoreDir(options, env);
  const logger = options.logger ?? stderrLogger;
  const settings = mergeSettings(readOptions(options), readEnvironment(env), await readConfigFile(dir));
  const decision = await decideBackend(settings, process.versions.node, async () => {
    try {
      return rolloutBucket(await readInstallationId(dir));
    } catch (error) {
      // A dir we cannot write still deserves a stable bucket: its path is the next best identity.
      logger.warn(`Cannot keep an installation id in ${dir} (${describeError(error)}); bucketing by its path.`);
      return rolloutBucket(dir);
    }
  });
  const common = { dir, durability: settings.durability, busyTimeoutMs: settings.busyTimeoutMs, logger };
  const selection = { reason: decision.reason, degraded: false, warnings: [] };
  if (decision.backend === 'json') return backends.json({ ...common, selection });
  if (decision.backend === 'postgres') {
    if (backends.postgres === undefined) {
      throw new ModelPerfError('MP_BACKEND_UNAVAILABLE', 'This build of model-perf has no PostgreSQL backend.');
    }
    return backends.postgres(postgresOptions(settings, { ...common, selection }), settings.fallback);
  }
  let store: PerformanceStore;
  try {
    store = await backends.sqlite({ ...common, selection });
  } catch (sqliteError) {
    const cause = describeError(sqliteError);
    if (!settings.fallback) {
      throw new ModelPerfError(
        'MP_BACKEND_UNAVAILABLE',
        `SQLite could not start in ${dir}: ${cause}. Fix the cause, or allow the JSON fallback (fallback: true).`,
        { cause: sqliteError },
      );
    }
    const reason = `JSON (fallback): SQLite could not start: ${cause}`;
    logger.warn(`${reason}. Recording into JSON files in ${dir} until SQLite starts again.`);
    try {
      return await backends.json({ ...common, selection: { reason, degraded: true, warnings: [reason] } });
    } catch (jsonError) {
      throw new ModelPerfError(
        'MP_BACKEND_UNAVAILABLE',
        `Neither backend could start in ${dir}. SQLite: ${cause}. JSON: ${describeError(jsonError)}.`,
        { cause: jsonError },
      );
    }
  }
  if (settings.migrate) await backends.migrateOnOpen?.(store, dir, logger);
  return store;
}

/** The PostgreSQL options from the settings; a URL is required, and its best home is MODEL_PERF_PG_URL. */
function postgresOptions(
  settings: StoreSettings,
  common: BackendOptions & { dir: string; selection: Selection },
): PostgresOptions {
  if (settings.url === undefined) {
    throw new ModelPerfError(
      'MP_CONFIG',
      'Backend "postgres" needs the server\'s URL: set MODEL_PERF_PG_URL (preferred: it keeps a password out of ' +
        "files), or pass the url option. A store dir's config file cannot name the server.",
      { field: 'url' },
    );
  }
  return {
    ...common,
    url: settings.url,
    schema: settings.postgresSchema,
    poolSize: settings.poolSize,
    statementTimeoutMs: settings.statementTimeoutMs,
  };
}
