import { addOutcome, compareStats, emptyCounters, type StatsCounters, toModelStats } from '../../core/stats.js';
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

  add(outcome: Outcome): void {
    addOutcome(this.#counters(outcome.taskType, outcome.modelId), outcome);
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

  *entries(): Generator<StatsEntry> {
    for (const [taskType, models] of this.#byTask) {
      for (const [modelId, counters] of models) yield { taskType, modelId, counters };
    }
  }

  clone(): StatsTable {
    const copy = new StatsTable();
    for (const { taskType, modelId, counters } of this.entries()) copy.set(taskType, modelId, counters);
    return copy;
  }

  #counters(taskType: string, modelId: string): StatsCounters {
    let models = this.#byTask.get(taskType);
    if (models === undefined) {
      models = new Map();
      this.#byTask.set(taskType, models);
    }
    let counters = models.get(modelId);
    if (counters === undefined) {
      counters = emptyCounters();
      models.set(modelId, counters);
    }
    return counters;
  }
}
