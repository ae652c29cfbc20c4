import { existsSync } from 'node:fs';
import { ModelLearner, type OpenStoreOptions, openStore, type PerformanceStore } from '../index.js';
import type { CommandContext } from './command.js';
import { CliError } from './errors.js';

/** openStore's options for the command line: the resolved dir, --backend, and the CLI's logger. */
export function storeOptions({ global, logger }: CommandContext, overrides: OpenStoreOptions = {}): OpenStoreOptions {
  return {
    dir: global.dir,
    ...(global.backend === undefined ? {} : { backend: global.backend }),
    logger,
    ...overrides,
  };
}

/** Runs `use` with a learner over the store, and closes the store however `use` ends. */
export async function withLearner<Result>(
  context: CommandContext,
  use: (learner: ModelLearner) => Promise<Result>,
): Promise<Result> {
  const learner = await ModelLearner.open(storeOptions(context));
  try {
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
  const store = await openStore(storeOptions(context, overrides));
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/**
 * Queries read a store that exists: opening one would create it, and a mistyped --dir would then
 * answer with an empty store instead of saying that it is mistyped.
 */
export function requireStoreDir({ global }: CommandContext): void {
  if (!existsSync(global.dir)) {
    throw new CliError(
      'MP_NO_STORE',
      `There is no store in ${global.dir}`,
      'pass the store with --dir or MODEL_PERF_DIR, or record outcomes first (`model-perf record`, `model-perf demo`).',
    );
  }
}
