import { resolve } from 'node:path';
import { openJsonStore } from '../backends/json/index.js';
import { openPostgresStore } from '../backends/postgres/index.js';
import { OfflineFirstStore } from '../backends/postgres/offline/offline-first-store.js';
import { resolveSettings as resolvePostgresSettings } from '../backends/postgres/options.js';
import { openSqliteStore } from '../backends/sqlite/index.js';
import { describeError, isModelPerfError, ModelPerfError } from '../core/errors.js';
import { stderrLogger } from '../core/logger.js';
import type { BackendOptions, PostgresOptions, Selection } from '../core/options.js';
import { DEFAULT_DIR, type OpenStoreOptions, type StoreSettings } from '../core/options.js';
import type { PerformanceStore } from '../core/store.js';
import { absorbJsonStore } from '../migrate/absorb-json-store.js';
import { migrateOnOpen } from '../migrate/on-open.js';
import { readInstallationId, rolloutBucket } from './rollout.js';
import { decideBackend } from './selection.js';
import { mergeSettings, readConfigFile, readEnvironment, readOptions } from './settings.js';

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
export async function openStore(
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
  if (decision.backend === 'json') return openJsonStore({ ...common, selection });
  if (decision.backend === 'postgres') {
    return openPostgres(postgresOptions(settings, { ...common, selection }), settings.fallback);
  }
  let store: PerformanceStore;
  try {
    store = await openSqliteStore({ ...common, selection });
  } catch (sqliteError) {
    // A configuration error is the caller's to fix: JSON in its place would hide it.
    if (isModelPerfError(sqliteError, 'MP_CONFIG')) throw sqliteError;
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
      return await openJsonStore({ ...common, selection: { reason, degraded: true, warnings: [reason] } });
    } catch (jsonError) {
      throw new ModelPerfError(
        'MP_BACKEND_UNAVAILABLE',
        `Neither backend could start in ${dir}. SQLite: ${cause}. JSON: ${describeError(jsonError)}.`,
        { cause: jsonError },
      );
    }
  }
  if (settings.migrate) await migrateOnOpen(store, dir, logger);
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

/**
 * Backend 'postgres': with fallback, the server's store inside the offline-first wrapper, whose local side
 * is the JSON backend in the same dir (JSON files can be absorbed and archived while other processes still
 * write them, which a SQLite file cannot); without, the server's store alone.
 */
async function openPostgres(options: PostgresOptions, fallback: boolean): Promise<PerformanceStore> {
  if (!fallback) return openPostgresStore(options);
  const settings = resolvePostgresSettings(options);
  const { dir, logger } = settings;
  return OfflineFirstStore.open({
    settings,
    connect: () => openPostgresStore(options),
    local: {
      open: (selection) =>
        openJsonStore({
          dir,
          logger,
          selection,
          ...(options.durability === undefined ? {} : { durability: options.durability }),
          ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
        }),
      push: async (server) => (await absorbJsonStore(server, dir, logger))?.outcomes,
    },
  });
}
