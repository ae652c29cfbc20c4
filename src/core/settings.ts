import { join } from 'node:path';
import semver from 'semver';
import { ModelPerfError } from './errors.js';
import { type BackendChoice, CONFIG_FILE, DEFAULT_SETTINGS, type StoreSettings } from './options.js';
import { isSchemaName, parsePostgresUrl } from './postgres-settings.js';
import { readStoreFile } from './store-files.js';

type SettingsSource = { kind: 'file'; file: string } | { kind: 'option' } | { kind: 'env'; variable: string };

function where(source: SettingsSource, key: string): string {
  if (source.kind === 'file') return `"${key}" in ${source.file}`;
  if (source.kind === 'env') return `environment variable ${source.variable}`;
  return `option "${key}"`;
}

function invalid(source: SettingsSource, key: string, problem: string): never {
  throw new ModelPerfError('MP_CONFIG', `Invalid ${where(source, key)}: ${problem}.`, {
    field: key,
    ...(source.kind === 'file' ? { file: source.file } : {}),
  });
}

const BACKENDS: readonly BackendChoice[] = ['auto', 'sqlite', 'json', 'postgres'];
/** statement_timeout is a 32-bit int of milliseconds on the server. */
const MAX_STATEMENT_TIMEOUT_MS = 2 ** 31 - 1;
const MAX_POOL_SIZE = 100;

/** A URL may hold a password: problems are described without echoing the value. */
function checkUrl(value: unknown, source: SettingsSource): string {
  const url = typeof value === 'string' ? parsePostgresUrl(value) : undefined;
  if (url === undefined) invalid(source, 'url', 'expected a postgres:// or postgresql:// URL with a host');
  return value as string;
}

/** Checks one setting's value; every source (options, environment, config file) goes through here. */
function checkSetting(key: keyof StoreSettings, value: unknown, source: SettingsSource): StoreSettings[typeof key] {
  switch (key) {
    case 'backend':
      if (!BACKENDS.includes(value as BackendChoice)) invalid(source, key, `expected one of ${BACKENDS.join(', ')}`);
      return value as BackendChoice;
    case 'fallback':
    case 'migrate':
      if (typeof value !== 'boolean') invalid(source, key, 'expected true or false');
      return value;
    case 'sqliteNodeRange':
      if (typeof value !== 'string' || semver.validRange(value) === null) {
        invalid(source, key, 'expected a semver range such as ">=24"');
      }
      return value;
    case 'sqliteRollout':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
        invalid(source, key, 'expected a percentage from 0 to 100');
      }
      return value;
    case 'durability':
      if (value !== 'normal' && value !== 'full') invalid(source, key, 'expected "normal" or "full"');
      return value;
    case 'busyTimeoutMs':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        invalid(source, key, 'expected a whole number of milliseconds');
      }
      return value;
    case 'url':
      return checkUrl(value, source);
    case 'postgresSchema':
      if (typeof value !== 'string' || !isSchemaName(value)) {
        invalid(source, key, 'expected a lower-case identifier such as "model_perf" (letters, digits, _; not pg_...)');
      }
      return value;
    case 'poolSize':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_POOL_SIZE) {
        invalid(source, key, `expected a whole number of connections from 1 to ${MAX_POOL_SIZE}`);
      }
      return value;
    case 'statementTimeoutMs':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_STATEMENT_TIMEOUT_MS) {
        invalid(source, key, `expected whole milliseconds from 0 (no limit) to ${MAX_STATEMENT_TIMEOUT_MS}`);
      }
      return value;
  }
}

const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as Array<keyof StoreSettings>;

function isSettingKey(key: string): key is keyof StoreSettings {
  return (SETTING_KEYS as string[]).includes(key);
}

/**
 * A store dir can arrive with somebody else's repository: a config in it must not choose the server that
 * receives this user's credentials (pg sends PGPASSWORD or ~/.pgpass entries to whatever host the URL
 * names). The server comes only from options or MODEL_PERF_PG_URL / MODEL_PERF_BACKEND.
 */
function refuseCredentialTarget(key: keyof StoreSettings, value: unknown, source: SettingsSource): void {
  if (key === 'url' || (key === 'backend' && value === 'postgres')) {
    invalid(
      source,
      key,
      "a store dir's config file cannot choose a PostgreSQL server (it would receive your credentials); " +
        'set MODEL_PERF_BACKEND=postgres and MODEL_PERF_PG_URL, or pass the backend and url options',
    );
  }
}

/** Reads and validates <dir>/model-perf.config.json; a missing file gives no settings. */
export async function readConfigFile(dir: string): Promise<Partial<StoreSettings>> {
  const file = join(dir, CONFIG_FILE);
  let text: string;
  try {
    const bytes = await readStoreFile(file, 'config');
    if (bytes === undefined) return {};
    text = bytes.toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return {};
    throw new ModelPerfError('MP_CONFIG', `Cannot read ${file}: ${(error as Error).message}`, { file, cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelPerfError('MP_CONFIG', `${file} is not valid JSON: fix or remove it.`, { file, cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ModelPerfError('MP_CONFIG', `${file} must hold a JSON object of settings.`, { file });
  }
  const source: SettingsSource = { kind: 'file', file };
  const settings: Partial<Record<keyof StoreSettings, unknown>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!isSettingKey(key)) invalid(source, key, `unknown key; allowed keys are ${SETTING_KEYS.join(', ')}`);
    refuseCredentialTarget(key, value, source);
    settings[key] = checkSetting(key, value, source);
  }
  return settings as Partial<StoreSettings>;
}

/** Settings from the environment: MODEL_PERF_BACKEND, and MODEL_PERF_PG_URL (where a URL with a password belongs). */
export function readEnvironment(env: NodeJS.ProcessEnv): Partial<StoreSettings> {
  const settings: Partial<StoreSettings> = {};
  const backend = env.MODEL_PERF_BACKEND;
  if (backend !== undefined && backend !== '') {
    settings.backend = checkSetting('backend', backend, {
      kind: 'env',
      variable: 'MODEL_PERF_BACKEND',
    }) as BackendChoice;
  }
  const url = env.MODEL_PERF_PG_URL;
  if (url !== undefined && url !== '') settings.url = checkUrl(url, { kind: 'env', variable: 'MODEL_PERF_PG_URL' });
  return settings;
}

/** Validates the settings passed as options (undefined means not given). */
export function readOptions(options: Partial<StoreSettings>): Partial<StoreSettings> {
  const settings: Partial<Record<keyof StoreSettings, unknown>> = {};
  for (const key of SETTING_KEYS) {
    const value = options[key];
    if (value !== undefined) settings[key] = checkSetting(key, value, { kind: 'option' });
  }
  return settings as Partial<StoreSettings>;
}

/** Options > environment > config file > defaults. */
export function mergeSettings(...layers: Array<Partial<StoreSettings>>): StoreSettings {
  return Object.assign({}, DEFAULT_SETTINGS, ...layers.toReversed()) as StoreSettings;
}
