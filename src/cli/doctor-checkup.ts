import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isModelPerfError, type StoreInfo } from '../index.js';
import { BACKUPS_DIR, type LegacyPlan, planMigration } from '../migrate/index.js';
import type { CommandContext } from './command.js';
import { describeFiles, type FileEntry, listDir } from './files.js';
import { captureLogger } from './output.js';
import { CONFIG_FILE, holdsStoreFiles, refuseFileAsDir, withStore } from './store-access.js';

export interface StoreCheck {
  backend: StoreInfo['backend'];
  degraded: boolean;
  reason: string;
  schemaVersion: number;
  sqliteVersion: string | null;
  /** Where the data lives when not in the dir (a PostgreSQL server, password hidden), else null. */
  location: string | null;
  files: FileEntry[];
}

/** Why the store could not open: the doctor reports it rather than failing with it. */
export interface StoreFailure {
  error: { code: string; message: string };
}

export interface Checkup {
  dir: string;
  dirExists: boolean;
  /** True when the dir does not exist and the backend choice was tried in a temporary dir instead. */
  probed: boolean;
  nodeVersion: string;
  environment: { MODEL_PERF_DIR: string | null; MODEL_PERF_BACKEND: string | null };
  configFile: string | null;
  store: StoreCheck | StoreFailure;
  legacy: LegacyPlan;
  backups: FileEntry[];
  warnings: string[];
}

async function checkStore(context: CommandContext, dir: string): Promise<{ store: StoreCheck; warnings: string[] }> {
  const { logger, entries } = captureLogger();
  // migrate: false, so that looking does not absorb a legacy file: `model-perf migrate` does that.
  const info = await withStore(context, async (store) => store.info, { dir, logger, migrate: false });
  const logged = entries
    .filter((entry) => entry.level === 'warn' || entry.level === 'error')
    .map((entry) => entry.message);
  return {
    store: {
      backend: info.backend,
      degraded: info.degraded,
      reason: info.reason,
      schemaVersion: info.schemaVersion,
      sqliteVersion: info.sqliteVersion,
      location: info.location ?? null,
      files: await describeFiles(info.files),
    },
    warnings: [...new Set([...info.warnings, ...logged])],
  };
}

/**
 * Which backend this store dir gets here and why, without changing anything that matters: a dir
 * that does not exist yet is not created; the choice is tried in a temporary dir, which gives the
 * same answer (no config file, and the rollout only applies through one).
 */
async function checkBackend(context: CommandContext, holdsStore: boolean) {
  if (holdsStore) return checkStore(context, context.global.dir);
  const probeDir = await mkdtemp(join(tmpdir(), 'model-perf-doctor-'));
  try {
    const { store, warnings } = await checkStore(context, probeDir);
    return { store: { ...store, files: [] }, warnings };
  } finally {
    await rm(probeDir, { recursive: true, force: true });
  }
}

function legacyWarnings(legacy: LegacyPlan): string[] {
  if (legacy.status !== 'invalid') return [];
  return [`The legacy stats file ${legacy.file} cannot be imported and is left as it is: ${legacy.reason}`];
}

export async function runCheckup(context: CommandContext): Promise<Checkup> {
  const { dir } = context.global;
  refuseFileAsDir(context);
  const dirExists = existsSync(dir);
  // A dir without store files is tried elsewhere too: opening a store in it would create one.
  const holdsStore = dirExists && holdsStoreFiles(dir);
  const configPath = join(dir, CONFIG_FILE);
  const legacy = (await planMigration({ dir })).legacy;
  const warnings = legacyWarnings(legacy);
  let store: StoreCheck | StoreFailure;
  try {
    const checked = await checkBackend(context, holdsStore);
    store = checked.store;
    warnings.push(...checked.warnings);
  } catch (error) {
    // The doctor's job is to say why a store does not open, not to fail with it.
    if (!isModelPerfError(error)) throw error;
    store = { error: { code: error.code, message: error.message } };
  }
  return {
    dir,
    dirExists,
    probed: !holdsStore,
    nodeVersion: process.versions.node,
    environment: {
      MODEL_PERF_DIR: context.env.MODEL_PERF_DIR ?? null,
      MODEL_PERF_BACKEND: context.env.MODEL_PERF_BACKEND ?? null,
    },
    configFile: existsSync(configPath) ? configPath : null,
    store,
    legacy,
    backups: await listDir(join(dir, BACKUPS_DIR)),
    warnings,
  };
}
