import { join } from 'node:path';
import semver from 'semver';
import { readTextIfExists } from '../core/durable-files.js';
import { ModelPerfError } from '../core/errors.js';
import {
  type BackendChoice,
  CONFIG_FILE,
  DEFAULT_SETTINGS,
  parsePostgresUrl,
  RULES,
  type StoreSettings,
} from '../core/options.js';
import { parseJson } from '../core/validation.js';

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

/** A URL may hold a password: problems are described without echoing the value. */
function checkUrl(value: unknown, source: SettingsSource): string {
  const url = typeof value === 'string' ? parsePostgresUrl(value) : undefined;
  if (url === undefined) invalid(source, 'url', RULES.url(value) ?? '');
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
    case 'busyTimeoutMs':
    case 'postgresSchema':
    case 'poolSize':
    case 'statementTimeoutMs': {
      const problem = RULES[key](value);
      if (problem !== undefined) invalid(source, key, problem);
      return value as StoreSettings[typeof key];
    }
    case 'url':
      return checkUrl(value, source);
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
  let text: string | undefined;
  try {
    text = await readTextIfExists(file, 'config');
  } catch (error) {
    // A refusal (a symlink, a FIFO, an oversized file) ends in its own full stop.
    throw new ModelPerfError('MP_CONFIG', `Cannot read ${file}: ${(error as Error).message}`, { file, cause: error });
  }
  if (text === undefined) return {};
  const parsed = parseJson(
    text,
    (error) => new ModelPerfError('MP_CONFIG', `${file} is not valid JSON: fix or remove it.`, { file, cause: error }),
  );
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
