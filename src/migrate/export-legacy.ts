import { resolve } from 'node:path';
import { writeFileAtomic } from '../core/durable-files.js';
import type { PerformanceStore } from '../core/store.js';

export interface ExportLegacyOptions {
  store: PerformanceStore;
  file: string;
}

interface LegacyEntry {
  successes: number;
  failures: number;
  successRate: number;
  timeouts: number;
  /** Left out when no outcome said it: the legacy format reads a missing total as unknown. */
  totalTokens?: number;
  totalCost?: number;
  lastUsed?: string;
}

/**
 * Rollback: writes the current stats in the legacy nested format, so that an older runtime can take
 * over. Written atomically: an existing file is replaced whole or not at all.
 */
export async function exportLegacy({ store, file }: ExportLegacyOptions): Promise<void> {
  // Null-prototype maps: a task or model named "__proto__" stays an ordinary key in the output.
  const document: Record<string, Record<string, LegacyEntry>> = Object.create(null);
  for (const stats of await store.listStats()) {
    let models = document[stats.taskType];
    if (models === undefined) {
      models = Object.create(null) as Record<string, LegacyEntry>;
      document[stats.taskType] = models;
    }
    const entry: LegacyEntry = {
      successes: stats.successes,
      failures: stats.failures,
      successRate: stats.successRate,
      timeouts: stats.timeouts,
    };
    if (stats.tokenSamples > 0) entry.totalTokens = stats.totalTokens;
    if (stats.costSamples > 0) entry.totalCost = stats.totalCost;
    if (stats.lastUsed !== null) entry.lastUsed = stats.lastUsed;
    models[stats.modelId] = entry;
  }
  await writeFileAtomic(resolve(file), `${JSON.stringify(document, null, 2)}\n`);
}
