import { addBaseline, addOutcome, emptyCounters, type StatsCounters, toModelStats } from '../../src/core/stats.js';
import type { PerformanceStore } from '../../src/core/store.js';
import type { ModelStats } from '../../src/core/types.js';
import type { Expect } from './context.js';
import { collect } from './fixtures.js';

/**
 * Recomputes every pair's stats as invariant 2 says they must be: a recount of the raw outcomes, plus
 * the baselines (aggregates imported without outcomes) when the store has any.
 */
export async function recount(store: PerformanceStore): Promise<ModelStats[]> {
  const pairs = new Map<string, { taskType: string; modelId: string; counters: StatsCounters }>();
  const countersOf = (taskType: string, modelId: string): StatsCounters => {
    const key = JSON.stringify([taskType, modelId]);
    let pair = pairs.get(key);
    if (pair === undefined) {
      pair = { taskType, modelId, counters: emptyCounters() };
      pairs.set(key, pair);
    }
    return pair.counters;
  };
  for (const outcome of await collect(store.outcomes()))
    addOutcome(countersOf(outcome.taskType, outcome.modelId), outcome);
  for (const entry of await store.listBaselines()) addBaseline(countersOf(entry.taskType, entry.modelId), entry);
  return [...pairs.values()].map((pair) => toModelStats(pair.taskType, pair.modelId, pair.counters));
}

/**
 * Asserts the stored aggregates equal the recount (sums of floats compared to 9 decimals). The recency
 * counters are left out, as verify() leaves them out: they weight outcomes in the order they were
 * recorded, which the recount (in timestamp order) cannot know.
 */
export async function expectRecountMatches(store: PerformanceStore, expect: Expect): Promise<void> {
  const byKey = (rows: ModelStats[]): Map<string, ModelStats> =>
    new Map(rows.map((row) => [JSON.stringify([row.taskType, row.modelId]), row]));
  const stored = byKey(await store.listStats());
  const recounted = byKey(await recount(store));
  expect([...stored.keys()].sort()).toEqual([...recounted.keys()].sort());
  for (const [key, expected] of recounted) {
    const actual = stored.get(key);
    expect(actual, key).toMatchObject({
      ...expected,
      totalCost: actual?.totalCost,
      totalLatencyMs: actual?.totalLatencyMs,
      fastSuccesses: actual?.fastSuccesses,
      fastFailures: actual?.fastFailures,
      slowSuccesses: actual?.slowSuccesses,
      slowFailures: actual?.slowFailures,
    });
    expect(actual?.totalCost, key).toBeCloseTo(expected.totalCost, 9);
    expect(actual?.totalLatencyMs, key).toBeCloseTo(expected.totalLatencyMs, 6);
  }
}

/**
 * Asserts a store written by several processes holds exactly `total` outcomes: in its stats, as
 * distinct ids, and with aggregates equal to their recount.
 */
export async function expectExactStore(store: PerformanceStore, total: number, expect: Expect): Promise<void> {
  const stats = await store.listStats();
  expect(stats.reduce((sum, row) => sum + row.samples, 0)).toBe(total);
  const ids = (await collect(store.outcomes())).map((outcome) => outcome.id);
  expect(ids).toHaveLength(total);
  expect(new Set(ids).size).toBe(total);
  await expectRecountMatches(store, expect);
}
