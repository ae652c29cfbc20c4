import type { BaselineEntry } from '../../core/baselines.js';
import {
  addBaseline,
  addCounters,
  addOutcome,
  compareStats,
  emptyCounters,
  getOrCreateNested,
  type StatsCounters,
  toModelStats,
} from '../../core/stats.js';
import type { ModelStats, Outcome } from '../../core/types.js';
import type { NormalizedStatsFilter } from '../../core/validation.js';

export interface StatsEntry {
  taskType: string;
  modelId: string;
  counters: StatsCounters;
}

/** The counters per (taskType, modelId), keyed by Maps so that any name, "__proto__" included, stays data. */
export class StatsTable {
  readonly #byTask = new Map<string, Map<string, StatsCounters>>();
  /**
   * The table sums baselines (and a snapshot's recency counters), no raw outcomes: as a layer it adds
   * no decay steps to the layers below it (see layeredStats).
   */
  readonly ofBaselines: boolean;

  constructor(ofBaselines = false) {
    this.ofBaselines = ofBaselines;
  }

  add(outcome: Outcome): void {
    addOutcome(this.#counters(outcome.taskType, outcome.modelId), outcome);
  }

  addBaseline(entry: BaselineEntry): void {
    addBaseline(this.#counters(entry.taskType, entry.modelId), entry);
  }

  /** Adds a later layer's counters; `outcomes` is how many raw outcomes they count (see addCounters). */
  addCounters(taskType: string, modelId: string, counters: StatsCounters, outcomes: number): void {
    addCounters(this.#counters(taskType, modelId), counters, outcomes);
  }

  /** How many raw outcomes a pair's counters of this table hold, as a layer. */
  outcomesOf(counters: StatsCounters): number {
    return this.ofBaselines ? 0 : counters.successes + counters.failures;
  }

  /** Sets a pair's counters, as read from a checkpoint. */
  set(taskType: string, modelId: string, counters: StatsCounters): void {
    Object.assign(this.#counters(taskType, modelId), counters);
  }

  get(taskType: string, modelId: string): ModelStats | undefined {
    const counters = this.#byTask.get(taskType)?.get(modelId);
    return counters === undefined ? undefined : toModelStats(taskType, modelId, counters);
  }

  list(filter: NormalizedStatsFilter): ModelStats[] {
    const rows: ModelStats[] = [];
    for (const { taskType, modelId, counters } of this.entries()) {
      if (filter.taskType !== undefined && taskType !== filter.taskType) continue;
      if (filter.modelId !== undefined && modelId !== filter.modelId) continue;
      const stats = toModelStats(taskType, modelId, counters);
      if (stats.samples >= filter.minSamples) rows.push(stats);
    }
    return rows.sort(compareStats);
  }

  get isEmpty(): boolean {
    return this.#byTask.size === 0;
  }

  *entries(): Generator<StatsEntry> {
    for (const [taskType, models] of this.#byTask) {
      for (const [modelId, counters] of models) yield { taskType, modelId, counters };
    }
  }

  clone(): StatsTable {
    const copy = new StatsTable(this.ofBaselines);
    for (const { taskType, modelId, counters } of this.entries()) copy.set(taskType, modelId, counters);
    return copy;
  }

  #counters(taskType: string, modelId: string): StatsCounters {
    return getOrCreateNested(this.#byTask, taskType, modelId, emptyCounters);
  }
}

/**
 * The stats of a pair summed over layers: baselines added on read to the fold of the outcomes, so that
 * the fold itself stays exactly a fold of outcomes (what compaction checkpoints). Layers come oldest
 * first, so that the recency counters of a snapshot's baselines decay by the outcomes recorded since.
 */
export function layeredStats(layers: readonly StatsTable[], taskType: string, modelId: string): ModelStats | undefined {
  let sum: StatsCounters | undefined;
  for (const layer of layers) {
    const stats = layer.get(taskType, modelId);
    if (stats === undefined) continue;
    sum ??= emptyCounters();
    addCounters(sum, stats, layer.outcomesOf(stats));
  }
  return sum === undefined ? undefined : toModelStats(taskType, modelId, sum);
}

/** listStats over layers: minSamples applies to the sums, as it would to a single table. */
export function layeredList(layers: readonly StatsTable[], filter: NormalizedStatsFilter): ModelStats[] {
  const filled = layers.filter((layer) => !layer.isEmpty);
  const [only] = filled;
  if (filled.length <= 1) return only === undefined ? [] : only.list(filter);
  const merged = new StatsTable();
  for (const layer of filled) {
    for (const { taskType, modelId, counters } of layer.entries()) {
      if (filter.taskType !== undefined && taskType !== filter.taskType) continue;
      if (filter.modelId !== undefined && modelId !== filter.modelId) continue;
      merged.addCounters(taskType, modelId, counters, layer.outcomesOf(counters));
    }
  }
  return merged.list(filter);
}
