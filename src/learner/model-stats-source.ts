import { emptyCounters, toModelStats } from '../core/stats.js';
import type { PerformanceStore } from '../core/store.js';
import type { ModelStats, SummaryRow } from '../core/types.js';

export const DAY_MS = 86_400_000;

/**
 * The longest window a query may ask for. A century covers any real history, and the bound keeps
 * `now - windowDays` a valid date (stored timestamps start at year 0000).
 */
export const MAX_WINDOW_DAYS = 36_525;

/** The ISO start of a window of `days` days (fractions allowed) that ends at `now`. */
export function windowStart(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** A task's per-model stats, and which of them are all-time records standing in for an empty window. */
export interface TaskStats {
  stats: ModelStats[];
  /** Models with no outcome in the window, counted on their all-time record instead. */
  stale: ReadonlySet<string>;
}

/**
 * Per-model stats of one task type. Without `since`, the stored aggregates: all-time, legacy baselines
 * included. With `since`, each model that has outcomes from then on is counted on those alone, so that a
 * model that has started to fail falls as fast as the window forgets its good past; a model with none in
 * the window keeps its all-time record rather than vanishing, since old evidence is still the best there
 * is about a model nobody has dispatched lately (it stays rankable and can be an A/B challenger).
 */
export async function loadTaskStats(
  store: PerformanceStore,
  taskType: string,
  since: string | undefined,
): Promise<TaskStats> {
  const allTime = await store.listStats({ taskType });
  if (since === undefined) return { stats: allTime, stale: new Set() };
  const rows = await store.summarize({ groupBy: 'model', taskType, since });
  const recent = new Map(rows.map((row) => [modelIdOf(row), summaryToStats(taskType, row)]));
  const stale = new Set(allTime.filter((stats) => !recent.has(stats.modelId)).map((stats) => stats.modelId));
  return { stats: allTime.map((stats) => recent.get(stats.modelId) ?? stats), stale };
}

/** The model of a summary row grouped by model; a row without one is a backend bug, not bad input. */
export function modelIdOf(row: SummaryRow): string {
  if (row.modelId === null) throw new Error('summarize grouped by model returned a row without a modelId');
  return row.modelId;
}

/** A window's recount carries no recency counters: they are all-time by design, so they stay 0 here. */
function summaryToStats(taskType: string, row: SummaryRow): ModelStats {
  return toModelStats(taskType, modelIdOf(row), {
    ...emptyCounters(),
    successes: row.wins,
    failures: row.trials - row.wins,
    timeouts: row.timeouts,
    totalTokens: row.totalTokens,
    tokenSamples: row.tokenSamples,
    totalCost: row.totalCost,
    costSamples: row.costSamples,
    totalLatencyMs: row.totalLatencyMs,
    latencySamples: row.latencySamples,
    lastUsed: row.lastUsed,
  });
}
