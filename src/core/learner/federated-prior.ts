import { emptyCounters, toModelStats } from '../stats.js';
import type { PerformanceStore } from '../store.js';
import type { ModelStats } from '../types.js';
import { capPriorWeight } from './federated-document.js';

/** Successes and failures other installations saw, added to a model's own before its bounds are computed. */
export interface Prior {
  successes: number;
  failures: number;
}

export const NO_PRIOR: Prior = Object.freeze({ successes: 0, failures: 0 });

/** The federated counts of each model of a task, each source's capped, summed over every source that exported them. */
export async function loadPriors(store: PerformanceStore, taskType: string): Promise<Map<string, Prior>> {
  const priors = new Map<string, Prior>();
  for (const entry of await store.listFederated({ taskType })) {
    const prior = priors.get(entry.modelId) ?? { successes: 0, failures: 0 };
    // Each source weighs at most MAX_PRIOR_SAMPLES: one document must not outweigh what this store saw.
    const capped = capPriorWeight(entry.successes, entry.failures);
    prior.successes += capped.successes;
    prior.failures += capped.failures;
    priors.set(entry.modelId, prior);
  }
  return priors;
}

/**
 * The task's stats plus an empty row for each model known only from the priors: the cold start that
 * federation is for, where peers' experience ranks a model this store has not run yet.
 */
export function withPriorOnlyModels(
  taskType: string,
  stats: readonly ModelStats[],
  priors: ReadonlyMap<string, Prior>,
): ModelStats[] {
  const known = new Set(stats.map((model) => model.modelId));
  const priorOnly = [...priors.keys()]
    .filter((modelId) => !known.has(modelId))
    .map((modelId) => toModelStats(taskType, modelId, emptyCounters()));
  return [...stats, ...priorOnly];
}
