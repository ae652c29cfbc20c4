import type { PerformanceStore } from '../index.js';
import type { CommandContext } from './command.js';
import { CliError, usageError } from './errors.js';
import { holdsStoreFiles, withStore } from './store-access.js';

/** At most this many names in a message: a store with hundreds of task types needs `report`, not a list. */
const LISTED = 12;

function nameList(names: readonly string[]): string {
  if (names.length === 0) return 'none yet';
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown}, … (${names.length} in all)` : shown;
}

async function knownTaskTypes(store: PerformanceStore): Promise<string[]> {
  return [...new Set((await store.listStats()).map((stats) => stats.taskType))];
}

/**
 * The <taskType> argument of a query. Without it the usage error lists the task types the store knows
 * (when there is a store to ask), since that is what the user needs to type next.
 */
export async function taskTypeArgument(context: CommandContext): Promise<string> {
  const taskType = context.args.positional('taskType');
  if (taskType !== undefined && taskType !== '') return taskType;
  const { dir } = context.global;
  const known = holdsStoreFiles(dir) ? await withStore(context, knownTaskTypes).catch(() => undefined) : undefined;
  const list = known === undefined ? '' : `. Known task types: ${nameList(known)}`;
  throw usageError(`Missing <taskType>${list}`, context.args.commandName);
}

/**
 * A query about a name the store has never seen is most likely a typo: say so, with the names it
 * knows, rather than answer "no model has enough samples" as if the name were right.
 */
export async function requireKnownTask(store: PerformanceStore, taskType: string): Promise<void> {
  const taskTypes = await knownTaskTypes(store);
  if (taskTypes.includes(taskType)) return;
  throw new CliError(
    'MP_NOT_FOUND',
    `No outcomes for '${taskType}'. Known task types: ${nameList(taskTypes)}.`,
    'check the spelling; `model-perf report` lists every task type and model.',
  );
}

/** As requireKnownTask, for models named on the command line (`ab --models`). */
export async function requireKnownModels(
  store: PerformanceStore,
  taskType: string,
  models: readonly string[],
): Promise<void> {
  const known = (await store.listStats({ taskType })).map((stats) => stats.modelId);
  const unknown = models.find((modelId) => !known.includes(modelId));
  if (unknown === undefined) return;
  throw new CliError(
    'MP_NOT_FOUND',
    `No outcomes for '${unknown}' on ${taskType}. Known models: ${nameList(known)}.`,
    'check the spelling; `model-perf rank TASK --min-samples 1` lists every model of a task type.',
  );
}
