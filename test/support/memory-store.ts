import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseStore } from '../../src/core/base-store.js';
import type { BaselineEntry, BaselineRecord, ImportRecord, ImportSource } from '../../src/core/baselines.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from '../../src/core/federated.js';
import { checkImportParity } from '../../src/core/import-validation.js';
import {
  addBaseline,
  addOutcome,
  compareStats,
  compareText,
  emptyCounters,
  type StatsCounters,
  toModelStats,
} from '../../src/core/stats.js';
import { compareOutcomes, matchesQuery, SummaryAccumulator } from '../../src/core/summary.js';
import type { ModelStats, Outcome, StoreInfo, SummaryRow } from '../../src/core/types.js';
import type {
  NormalizedOutcomeQuery,
  NormalizedStatsFilter,
  NormalizedSummaryQuery,
} from '../../src/core/validation.js';

interface PairCounters {
  taskType: string;
  modelId: string;
  counters: StatsCounters;
}

function comparePairSource(a: BaselineRecord, b: BaselineRecord): number {
  return (
    compareText(a.taskType, b.taskType) || compareText(a.modelId, b.modelId) || compareText(a.sourceId, b.sourceId)
  );
}

/**
 * A PerformanceStore in memory, for unit tests of code above the store (the learner): BaseStore gives it
 * the same validation and closed-state guard as the real backends, the core helpers the same counting.
 * Baselines are added to the counters when imported, as SQLite does. The store writes nothing to `dir`;
 * it is reported in info, where the learner keeps its export id (so by default a dir under the OS temp
 * dir, shared by every store made without one: pass a dir of its own to tell stores apart).
 */
export class MemoryStore extends BaseStore {
  readonly info: StoreInfo;
  readonly #outcomes = new Map<string, Outcome>();
  readonly #counters = new Map<string, PairCounters>();
  readonly #imports = new Map<string, ImportRecord>();
  readonly #baselines: BaselineRecord[] = [];
  readonly #federated = new Map<string, FederatedEntry[]>();

  constructor(dir = join(tmpdir(), 'model-perf-memory-store')) {
    super();
    this.info = {
      // BackendName has no value for a test store; nothing under test branches on it.
      backend: 'json',
      degraded: false,
      reason: 'an in-memory store for tests',
      dir,
      files: [],
      schemaVersion: 1,
      nodeVersion: process.versions.node,
      sqliteVersion: null,
      warnings: [],
    };
  }

  #currentCounters(taskType: string, modelId: string): StatsCounters {
    return this.#counters.get(JSON.stringify([taskType, modelId]))?.counters ?? emptyCounters();
  }

  #countersOf(taskType: string, modelId: string): PairCounters {
    const key = JSON.stringify([taskType, modelId]);
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
    const entry = this.#counters.get(JSON.stringify([taskType, modelId]));
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

  protected async writeBaselines(source: ImportSource, entries: readonly BaselineEntry[], now: Date): Promise<boolean> {
    if (this.#imports.has(source.id)) return false;
    // Everything is checked before anything changes, so a parity failure leaves the store as it was.
    const after = new Map(entries.map((entry) => [entry, { ...this.#currentCounters(entry.taskType, entry.modelId) }]));
    for (const [entry, counters] of after) {
      const before = toModelStats(entry.taskType, entry.modelId, { ...counters });
      addBaseline(counters, entry);
      checkImportParity(entry, before, toModelStats(entry.taskType, entry.modelId, counters));
    }
    for (const [entry, counters] of after) this.#countersOf(entry.taskType, entry.modelId).counters = counters;
    this.#baselines.push(...entries.map((entry) => ({ ...entry, sourceId: source.id })));
    this.#imports.set(source.id, { ...source, importedAt: now.toISOString() });
    return true;
  }

  protected async readImports(): Promise<ImportRecord[]> {
    return [...this.#imports.values()].sort(
      (a, b) => compareText(a.importedAt, b.importedAt) || compareText(a.id, b.id),
    );
  }

  protected async readBaselines(): Promise<BaselineRecord[]> {
    return [...this.#baselines].sort(comparePairSource);
  }

  protected async writeFederated(source: FederatedSource, entries: readonly BaselineEntry[], now: Date): Promise<void> {
    const importedAt = now.toISOString();
    this.#federated.set(
      source.id,
      entries.map((entry) => ({ ...entry, sourceId: source.id, exportedAt: source.exportedAt, importedAt })),
    );
  }

  protected async readFederated(filter: FederatedFilter): Promise<FederatedEntry[]> {
    return [...this.#federated.values()]
      .flat()
      .filter((entry) => filter.taskType === undefined || entry.taskType === filter.taskType)
      .sort(comparePairSource)
      .map((entry) => ({ ...entry }));
  }

  // Nothing is stored outside these Maps, so there is nothing the recount would not see.
  protected async checkIntegrity(): Promise<string[]> {
    return [];
  }

  protected async closeStorage(): Promise<void> {}
}
