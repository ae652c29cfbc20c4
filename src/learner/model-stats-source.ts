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

/**
 * Per-model stats of one task type. Without `since`, the stored aggregates: all-time, legacy baselines
 * included. With `since`, a recount of the outcomes from then on, so that a model that has started to
 * fail falls as fast as the window forgets its good past.
 */
export async function loadTaskStats(
  store: PerformanceStore,
  taskType: string,
  since: string | undefined,
): Promise<ModelStats[]> {
  if (since === undefined) return store.listStats({ taskType });
  const rows = await store.summarize({ groupBy: 'model', taskType, since });
  return rows.map((row) => summaryToStats(taskType, row));
}

/** One model's stats, as loadTaskStats counts them; undefined when it has no outcome to count. */
export async function loadModelStats(
  store: PerformanceStore,
  taskType: string,
  modelId: string,
  since: string | undefined,
): Promise<ModelStats | undefined> {
  if (since === undefined) return store.getStats(taskType, modelId);
  const [row] = await store.summarize({ groupBy: 'model', taskType, modelId, since });
  return row === undefined ? undefined : summaryToStats(taskType, row);
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
