import type { RecencyCounters } from './recency.js';

/** What a runtime passes when it records one model dispatch. */
export interface OutcomeInput {
  taskType: string;
  modelId: string;
  success: boolean;
  timeout?: boolean;
  tokensUsed?: number;
  costUsd?: number;
  latencyMs?: number;
  /** Default: now. Stored as ISO 8601 UTC. */
  timestamp?: Date | string;
  /** Default: a new UUID. Recording the same id twice counts once. */
  id?: string;
}

/** A stored outcome: every field normalised; a number the runtime did not give is null, never 0. */
export interface Outcome {
  id: string;
  taskType: string;
  modelId: string;
  success: boolean;
  timeout: boolean;
  /** null when the runtime did not give it (as cost and latency), so averages are not dragged towards 0. */
  tokensUsed: number | null;
  costUsd: number | null;
  latencyMs: number | null;
  /** ISO 8601 UTC, e.g. 2026-01-05T10:00:00.000Z: sorts lexicographically in time order. */
  timestamp: string;
}

/** What the outcomes of a stats row or a summary group add up to, besides their count. */
export interface OutcomeSums {
  timeouts: number;
  /** Sums of the known values and how many there were: an average divides by the count, not by samples. */
  totalTokens: number;
  tokenSamples: number;
  totalCost: number;
  costSamples: number;
  /** Sum and count of the measured latencies (legacy baselines carry none). */
  totalLatencyMs: number;
  latencySamples: number;
}

/**
 * The running aggregate for one (taskType, modelId) pair. Its recency counters (RecencyCounters) are
 * successes and failures decayed once per outcome of this pair, by FAST_DECAY and by SLOW_DECAY: only
 * outcomes feed them, in the order they were recorded; baselines never do.
 */
export interface ModelStats extends OutcomeSums, RecencyCounters {
  taskType: string;
  modelId: string;
  successes: number;
  failures: number;
  /** ISO 8601 UTC of the newest outcome, or null for a baseline without one. */
  lastUsed: string | null;
  /** successes + failures. */
  samples: number;
  /** successes / samples, 0 when there are no samples. */
  successRate: number;
}

export interface StatsFilter {
  taskType?: string;
  modelId?: string;
  minSamples?: number;
}

export interface OutcomeQuery {
  taskType?: string;
  modelId?: string;
  /** Inclusive lower bound on timestamp. */
  since?: Date | string;
  /** Exclusive upper bound on timestamp. */
  until?: Date | string;
  limit?: number;
  /** By timestamp, then id. Default 'asc'. */
  order?: 'asc' | 'desc';
}

export type SummaryGroup = 'model' | 'day' | 'day+model';

export interface SummaryQuery {
  groupBy: SummaryGroup;
  taskType?: string;
  modelId?: string;
  /** Restrict to these models. */
  models?: readonly string[];
  /** Inclusive lower bound on timestamp. */
  since?: Date | string;
  /** Exclusive upper bound on timestamp. */
  until?: Date | string;
}

/** One group of raw outcomes. Rows come sorted by day, then modelId. */
export interface SummaryRow extends OutcomeSums {
  /** Set when grouping by model or day+model, else null. */
  modelId: string | null;
  /** UTC day YYYY-MM-DD, set when grouping by day or day+model, else null. */
  day: string | null;
  trials: number;
  wins: number;
  /** Newest timestamp in the group. */
  lastUsed: string;
}

export type BackendName = 'sqlite' | 'json' | 'postgres';

export interface StoreInfo {
  backend: BackendName;
  /** True when this is not the backend that was asked for (a fallback). */
  degraded: boolean;
  /** A sentence saying why this backend runs here. */
  reason: string;
  dir: string;
  /** The files this store keeps in dir (absolute paths). */
  files: string[];
  schemaVersion: number;
  nodeVersion: string;
  /** The SQLite library version, when node:sqlite was loaded. */
  sqliteVersion: string | null;
  warnings: string[];
  /** Where the data lives when not in dir: a PostgreSQL server's URL with any password replaced by ***. */
  location?: string;
}
