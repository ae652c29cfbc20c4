import type { BaselineEntry } from './baselines.js';
import { ModelPerfError } from './errors.js';
import type { ModelStats } from './types.js';

const COUNTED = ['successes', 'failures', 'timeouts', 'totalTokens', 'tokenSamples', 'costSamples'] as const;

/** What each counted field must grow by: a known total counts one value per sample, an unknown one none. */
function expectedGrowth(entry: BaselineEntry): Record<(typeof COUNTED)[number], number> {
  const samples = entry.successes + entry.failures;
  return {
    successes: entry.successes,
    failures: entry.failures,
    timeouts: entry.timeouts,
    totalTokens: entry.totalTokens ?? 0,
    tokenSamples: entry.totalTokens === null ? 0 : samples,
    costSamples: entry.totalCost === null ? 0 : samples,
  };
}

/**
 * The check a backend runs inside an import's transaction, before committing: the pair's counts must
 * have grown by exactly the baseline's. Costs are sums of floats and are left out. A mismatch means a
 * storage bug (a pair keyed wrongly, a lost update) and rolls the whole import back.
 */
export function checkImportParity(
  entry: BaselineEntry,
  before: ModelStats | undefined,
  after: ModelStats | undefined,
): void {
  const expected = expectedGrowth(entry);
  for (const field of COUNTED) {
    const grew = (after?.[field] ?? 0) - (before?.[field] ?? 0);
    if (grew !== expected[field]) {
      throw new ModelPerfError(
        'MP_CORRUPT_DATA',
        `Import parity failed for ${entry.taskType} / ${entry.modelId}: ${field} grew by ${grew}, expected ` +
          `${expected[field]}. Nothing was imported.`,
      );
    }
  }
}
