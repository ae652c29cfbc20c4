import { compareText } from './stats.js';
import type { Outcome, SummaryRow } from './types.js';
import type { NormalizedOutcomeQuery, NormalizedSummaryQuery } from './validation.js';

/** Whether an outcome passes a query's filters (for backends that filter in memory). */
export function matchesQuery(outcome: Outcome, query: NormalizedOutcomeQuery | NormalizedSummaryQuery): boolean {
  if (query.taskType !== undefined && outcome.taskType !== query.taskType) return false;
  if (query.modelId !== undefined && outcome.modelId !== query.modelId) return false;
  if ('models' in query && query.models !== undefined && !query.models.includes(outcome.modelId)) return false;
  if (query.since !== undefined && outcome.timestamp < query.since) return false;
  if (query.until !== undefined && outcome.timestamp >= query.until) return false;
  return true;
}

/** Orders outcomes by timestamp, then id: the order every backend streams them in. */
export function compareOutcomes(a: Outcome, b: Outcome): number {
  return compareText(a.timestamp, b.timestamp) || compareText(a.id, b.id);
}

export function compareSummaryRows(a: SummaryRow, b: SummaryRow): number {
  return compareText(a.day ?? '', b.day ?? '') || compareText(a.modelId ?? '', b.modelId ?? '');
}

/** Groups outcomes as summarize() does, for backends that aggregate in memory. */
export class SummaryAccumulator {
  readonly #query: NormalizedSummaryQuery;
  readonly #groups = new Map<string, SummaryRow>();

  constructor(query: NormalizedSummaryQuery) {
    this.#query = query;
  }

  /** Adds the outcome when it matches the query. */
  add(outcome: Outcome): void {
    if (!matchesQuery(outcome, this.#query)) return;
    const byModel = this.#query.groupBy !== 'day';
    const byDay = this.#query.groupBy !== 'model';
    const modelId = byModel ? outcome.modelId : null;
    const day = byDay ? outcome.timestamp.slice(0, 10) : null;
    const key = `${day ?? ''}\u0000${modelId ?? ''}`;
    let row = this.#groups.get(key);
    if (row === undefined) {
      row = {
        modelId,
        day,
        trials: 0,
        wins: 0,
        timeouts: 0,
        totalTokens: 0,
        tokenSamples: 0,
        totalCost: 0,
        costSamples: 0,
        totalLatencyMs: 0,
        latencySamples: 0,
        lastUsed: outcome.timestamp,
      };
      this.#groups.set(key, row);
    }
    row.trials += 1;
    if (outcome.success) row.wins += 1;
    if (outcome.timeout) row.timeouts += 1;
    if (outcome.tokensUsed !== null) {
      row.totalTokens += outcome.tokensUsed;
      row.tokenSamples += 1;
    }
    if (outcome.costUsd !== null) {
      row.totalCost += outcome.costUsd;
      row.costSamples += 1;
    }
    if (outcome.latencyMs !== null) {
      row.totalLatencyMs += outcome.latencyMs;
      row.latencySamples += 1;
    }
    if (outcome.timestamp > row.lastUsed) row.lastUsed = outcome.timestamp;
  }

  rows(): SummaryRow[] {
    return [...this.#groups.values()].sort(compareSummaryRows);
  }
}
