import type { BaselineEntry, BaselineRecord, ImportRecord, ImportSource } from './baselines.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from './federated.js';
import type {
  ModelStats,
  Outcome,
  OutcomeInput,
  OutcomeQuery,
  StatsFilter,
  StoreInfo,
  SummaryQuery,
  SummaryRow,
} from './types.js';
import type { VerifyReport } from './verify.js';

/**
 * The storage contract every backend meets (proved by the shared suite in 'model-perf/testing').
 * All methods validate their input and reject with ModelPerfError; after close() they reject with MP_CLOSED.
 */
export interface PerformanceStore {
  readonly info: StoreInfo;
  /** Atomic: the raw outcome and its aggregate are written together. A known id changes nothing. */
  record(outcome: OutcomeInput): Promise<Outcome>;
  /** One transaction: all are written, or none (any invalid input rejects the whole batch). */
  recordMany(outcomes: readonly OutcomeInput[]): Promise<Outcome[]>;
  /** Outcomes plus baselines; federated priors never count here. */
  getStats(taskType: string, modelId: string): Promise<ModelStats | undefined>;
  /** Sorted by taskType, then modelId. Outcomes plus baselines, as getStats. */
  listStats(filter?: StatsFilter): Promise<ModelStats[]>;
  /** Raw outcomes, streamed in timestamp order (then id). */
  outcomes(query?: OutcomeQuery): AsyncIterable<Outcome>;
  summarize(query: SummaryQuery): Promise<SummaryRow[]>;

  /**
   * One transaction: records the source and adds each entry's counts to its pair's stats (creating the
   * pair), keeping the entries as baselines. Resolves false, adding nothing, when the source was
   * recorded before. Invalid input rejects with MP_INVALID_IMPORT and writes nothing.
   */
  importBaselines(source: ImportSource, entries: readonly BaselineEntry[]): Promise<boolean>;
  /** Every recorded source, sorted by importedAt, then id. */
  listImports(): Promise<ImportRecord[]>;
  /**
   * Every aggregate the stats count that is not an outcome, per source, sorted by taskType, modelId,
   * sourceId: so that stats = recount of outcomes + these stays checkable.
   */
  listBaselines(): Promise<BaselineRecord[]>;
  /** Replaces all entries of the source with these (none removes it); stats never change. */
  replaceFederated(source: FederatedSource, entries: readonly BaselineEntry[]): Promise<void>;
  /** Sorted by taskType, modelId, sourceId. */
  listFederated(filter?: FederatedFilter): Promise<FederatedEntry[]>;

  /**
   * Checks invariant 2 and the storage itself, changing nothing: the backend's integrity check, then the
   * stats compared per pair and per counter with a recount of the outcomes plus the baselines.
   */
  verify(): Promise<VerifyReport>;

  /** Idempotent: waits for writes in flight, then releases the storage. */
  close(): Promise<void>;
}
