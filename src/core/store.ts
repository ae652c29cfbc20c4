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
  getStats(taskType: string, modelId: string): Promise<ModelStats | undefined>;
  /** Sorted by taskType, then modelId. */
  listStats(filter?: StatsFilter): Promise<ModelStats[]>;
  /** Raw outcomes, streamed in timestamp order (then id). */
  outcomes(query?: OutcomeQuery): AsyncIterable<Outcome>;
  summarize(query: SummaryQuery): Promise<SummaryRow[]>;
  /** Idempotent: waits for writes in flight, then releases the storage. */
  close(): Promise<void>;
}
