import { BaseStore } from '../../src/core/base-store.js';
import { addOutcome, compareStats, emptyCounters, type StatsCounters, toModelStats } from '../../src/core/stats.js';
import { compareOutcomes, matchesQuery, SummaryAccumulator } from '../../src/core/summary.js';
import type { ModelStats, Outcome, StoreInfo, SummaryRow } from '../../src/core/types.js';
import type {
  NormalizedOutcomeQuery,
  NormalizedStatsFilter,
  NormalizedSummaryQuery,
} from '../../src/core/validation.js';

/** A legacy aggregate without raw outcomes, as a migrated model-performance.json leaves behind. */
export interface Baseline {
  taskType: string;
  modelId: string;
  successes: number;
  failures: number;
}

/**
 * A PerformanceStore in memory, for unit tests of code above the store (the learner): BaseStore gives it
 * the same validation and closed-state guard as the real backends, the core helpers the same counting.
 */
export class MemoryStore extends BaseStore {
  readonly info: StoreInfo = {
    // BackendName has no value for a test store; nothing under test branches on it.
    backend: 'json',
    degraded: false,
    reason: 'an in-memory store for tests',
    dir: '(memory)',
    files: [],
    schemaVersion: 1,
    nodeVersion: process.versions.node,
    sqliteVersion: null,
    warnings: [],
  };
  readonly #outcomes = new Map<string, Outcome>();
  readonly #counters = new Map<string, { taskType: string; modelId: string; counters: StatsCounters }>();

  constructor(baselines: readonly Baseline[] = []) {
    super();
    for (const { taskType, modelId, successes, failures } of baselines) {
      this.#countersOf(taskType, modelId).counters = { ...emptyCounters(), successes, failures };
    }
  }

  #countersOf(taskType: string, modelId: string): { taskType: string; modelId: string; counters: StatsCounters } {
    const key = `${taskType}\u0000${modelId}`;
    let entry = this.#counters.get(key);
    if (entry === undefined) {
      entry = { taskType, modelId, counters: emptyCounters() };
      this.#counters.set(key, entry);
    }
    return entry;
  }

  protected async writeOutcomes(outcomes: readonly Outcome[]): Promise<Outcome[]> {
    return outcomes.map((outcome) => {
      const known = this.#outcomes.get(outcome.id);
      if (known !== undefined) return known;
      this.#outcomes.set(outcome.id, outcome);
      addOutcome(this.#countersOf(outcome.taskType, outcome.modelId).counters, outcome);
      return outcome;
    });
  }

  protected async readStats(taskType: string, modelId: string): Promise<ModelStats | undefined> {
    const entry = this.#counters.get(`${taskType}\u0000${modelId}`);
    return entry === undefined ? undefined : toModelStats(taskType, modelId, entry.counters);
  }

  protected async readStatsList(filter: NormalizedStatsFilter): Promise<ModelStats[]> {
    return [...this.#counters.values()]
      .map(({ taskType, modelId, counters }) => toModelStats(taskType, modelId, counters))
      .filter(
        (stats) =>
          (filter.taskType === undefined || stats.taskType === filter.taskType) &&
          (filter.modelId === undefined || stats.modelId === filter.modelId) &&
          stats.samples >= filter.minSamples,
      )
      .sort(compareStats);
  }

  protected async *readOutcomes(query: NormalizedOutcomeQuery): AsyncIterable<Outcome> {
    const matching = [...this.#outcomes.values()]
      .filter((outcome) => matchesQuery(outcome, query))
      .sort(compareOutcomes);
    if (query.order === 'desc') matching.reverse();
    yield* matching.slice(0, query.limit);
  }

  protected async readSummary(query: NormalizedSummaryQuery): Promise<SummaryRow[]> {
    const accumulator = new SummaryAccumulator(query);
    for (const outcome of this.#outcomes.values()) accumulator.add(outcome);
    return accumulator.rows();
  }

  protected async closeStorage(): Promise<void> {}
}
