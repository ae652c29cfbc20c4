import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { jsonStoreFiles } from '../backends/json/index.js';
import { ModelLearner, type OpenStoreOptions, openStore, type PerformanceStore, type StoreInfo } from '../index.js';
import { LEGACY_FILE } from '../migrate/index.js';
import type { CommandContext } from './command.js';
import { CliError, usageError } from './errors.js';

/**
 * The files whose presence makes a dir a store (fixed by the design, plus the JSON backend's own): a
 * dir with none of them is not one, and a query must say so rather than create one.
 */
const SNAPSHOT_FILE = 'model-perf.snapshot.json';
/** Fixed by the design: a store dir's optional settings file. */
export const CONFIG_FILE = 'model-perf.config.json';
const DESIGN_FILES = ['model-performance.db', LEGACY_FILE, SNAPSHOT_FILE, CONFIG_FILE];

/**
 * openStore's options for the command line: the resolved dir, --backend, and the CLI's logger. A
 * backend named on the command line is a request that must be met: no silent fallback to another.
 */
export function storeOptions({ global, logger }: CommandContext, overrides: OpenStoreOptions = {}): OpenStoreOptions {
  return {
    dir: global.dir,
    ...(global.backend === undefined ? {} : { backend: global.backend, fallback: false }),
    logger,
    ...overrides,
  };
}

/**
 * A JSON session in a dir that holds a stats snapshot (left by SQLite, or by PostgreSQL for its offline
 * fallback) answers from it: the numbers are as old as the snapshot, so say so once.
 */
function noteSnapshotRead(context: CommandContext, info: StoreInfo): void {
  if (info.backend !== 'json' || !existsSync(join(info.dir, SNAPSHOT_FILE))) return;
  context.out.noteOnce(
    'snapshot',
    `note: answering from the stats snapshot in ${info.dir}, not the live store (${info.reason}); outcomes recorded there since it was written, and latencies, are not in it.`,
  );
}

/** Runs `use` with a learner over the store, and closes the store however `use` ends. */
export async function withLearner<Result>(
  context: CommandContext,
  use: (learner: ModelLearner) => Promise<Result>,
): Promise<Result> {
  refuseFileAsDir(context);
  const learner = await ModelLearner.open(storeOptions(context));
  try {
    noteSnapshotRead(context, learner.store.info);
    return await use(learner);
  } finally {
    await learner.close();
  }
}

/** Runs `use` with the store itself, for what only the store does (record, imports); closes it however `use` ends. */
export async function withStore<Result>(
  context: CommandContext,
  use: (store: PerformanceStore) => Promise<Result>,
  overrides: OpenStoreOptions = {},
): Promise<Result> {
  refuseFileAsDir(context);
  const store = await openStore(storeOptions(context, overrides));
  try {
    noteSnapshotRead(context, store.info);
    return await use(store);
  } finally {
    await store.close();
  }
}

/** True when the dir holds any file a store keeps (see DESIGN_FILES). */
export function holdsStoreFiles(dir: string): boolean {
  return [...DESIGN_FILES.map((name) => join(dir, name)), ...jsonStoreFiles(dir)].some((file) => existsSync(file));
}

/** Where the dir came from, as the user would recognise it in an error. */
function dirSource({ global }: CommandContext): string {
  return global.dirGiven ? '--dir' : 'the store dir ($MODEL_PERF_DIR, else .model-perf)';
}

/**
 * Throws when the store dir names a file: a usage error when --dir said so, a failure when the
 * environment or the default did.
 */
export function refuseFileAsDir(context: CommandContext): void {
  const { dir, dirGiven } = context.global;
  if (!existsSync(dir) || statSync(dir).isDirectory()) return;
  const message = `${dirSource(context)} names a file, not a store dir: ${dir}`;
  if (dirGiven) throw usageError(message, context.args.commandName);
  throw new CliError('MP_NO_STORE', message, 'set MODEL_PERF_DIR (or pass --dir) to the dir the store lives in.');
}

/**
 * Queries read a store that exists: opening one would create it, and a mistyped --dir would then
 * answer with an empty store instead of saying that it is mistyped. A PostgreSQL store keeps its data
 * on the server, so its dir may hold nothing yet.
 */
export function requireStoreDir(context: CommandContext): void {
  const { global, env } = context;
  refuseFileAsDir(context);
  const hint =
    'pass the store with --dir or MODEL_PERF_DIR, or record outcomes first (`model-perf record`, `model-perf demo`).';
  if (!existsSync(global.dir)) throw new CliError('MP_NO_STORE', `There is no store in ${global.dir}`, hint);
  const postgres = (global.backend ?? env.MODEL_PERF_BACKEND) === 'postgres';
  if (!postgres && !holdsStoreFiles(global.dir)) {
    throw new CliError('MP_NO_STORE', `There is no store in ${global.dir}: the dir holds no model-perf files`, hint);
  }
}
