import type { BaselineRecord } from './baselines.js';
import {
  addBaseline,
  addOutcome,
  emptyCounters,
  getOrCreateNested,
  type StatsCounters,
  VALUE_COUNTERS,
} from './stats.js';
import type { BackendName, ModelStats, Outcome } from './types.js';

/**
 * The stored counters verify() compares with the recount; samples and successRate follow from them.
 * The recency counters (fastSuccesses ... slowFailures) are left out on purpose: they weight outcomes by
 * the order they were recorded in, while the recount reads them in timestamp order, so a store whose
 * outcomes were recorded out of time order (a backfill, an import, a merged offline session) would
 * recount other values without anything being wrong.
 */
export const VERIFIED_FIELDS = [...VALUE_COUNTERS, 'lastUsed'] as const;

export type VerifiedField = (typeof VERIFIED_FIELDS)[number];

/** Sums of floats: they differ in their last bits when added in another order (SQL vs the stream's time order). */
const FLOAT_FIELDS: ReadonlySet<VerifiedField> = new Set(['totalCost', 'totalLatencyMs']);

/** One counter of one pair whose stored value is not what the outcomes and baselines add up to. */
export interface VerifyMismatch {
  taskType: string;
  modelId: string;
  /** 'pair' when the pair exists on one side only: stored and recounted then say 'present' or 'absent'. */
  field: VerifiedField | 'pair';
  stored: number | string | null;
  recounted: number | string | null;
}

/** What store.verify() found. It changes nothing: a report, never a repair. */
export interface VerifyReport {
  /** No mismatch and no integrity problem. */
  ok: boolean;
  backend: BackendName;
  /** ISO 8601 UTC. */
  checkedAt: string;
  /** Raw outcomes recounted. */
  outcomes: number;
  /** Task/model pairs compared (stored or recounted). */
  pairs: number;
  /** Baselines (aggregates imported without their outcomes) added to the recount. */
  baselines: number;
  mismatches: VerifyMismatch[];
  /** What the backend's own check of its storage found, one sentence each; empty when clean. */
  integrity: string[];
}

/** What verifyStore reads, through the backend's storage methods (validated and guarded by the caller). */
export interface VerifySources {
  backend: BackendName;
  checkIntegrity(): Promise<string[]>;
  readStats(): Promise<ModelStats[]>;
  readOutcomes(): AsyncIterable<Outcome>;
  readBaselines(): Promise<BaselineRecord[]>;
}

/** Another process writing during the recount makes stats and outcomes disagree for a moment: read again. */
const MAX_RECOUNTS = 3;
const RELATIVE_TOLERANCE = 1e-9;
/** Enough examples to act on; a store with more repeated ids is reported by count. */
const MAX_LISTED_DUPLICATES = 10;

/**
 * Invariant 2, checked: the stored aggregates equal a recount of the raw outcomes plus the baselines.
 * The backend's integrity check runs first; when it finds damage the recount is skipped, since reading
 * damaged files could make a backend repair them, and verify() changes nothing.
 */
export async function verifyStore(sources: VerifySources, now: Date = new Date()): Promise<VerifyReport> {
  const report: VerifyReport = {
    ok: false,
    backend: sources.backend,
    checkedAt: now.toISOString(),
    outcomes: 0,
    pairs: 0,
    baselines: 0,
    mismatches: [],
    integrity: await sources.checkIntegrity(),
  };
  if (report.integrity.length > 0) {
    report.integrity.push('The recount was skipped: the storage must be repaired first.');
    return report;
  }
  for (let attempt = 1; attempt <= MAX_RECOUNTS; attempt += 1) {
    const before = await sources.readStats();
    const recount = new Recount();
    for await (const outcome of sources.readOutcomes()) recount.addOutcome(outcome);
    for (const baseline of await sources.readBaselines()) recount.addBaseline(baseline);
    const after = await sources.readStats();
    if (JSON.stringify(before) !== JSON.stringify(after)) continue;
    report.outcomes = recount.outcomes;
    report.baselines = recount.baselines;
    report.pairs = recount.pairCount(after);
    report.mismatches = recount.compare(after);
    report.integrity.push(...recount.duplicateReport());
    report.ok = report.mismatches.length === 0 && report.integrity.length === 0;
    return report;
  }
  report.integrity.push(
    `The stats changed during each of ${MAX_RECOUNTS} recounts (another writer is active): run verify() again ` +
      'when writers are idle.',
  );
  return report;
}

interface PairCounters {
  taskType: string;
  modelId: string;
  counters: StatsCounters;
}

/** The recount itself: counters per pair, keyed by nested Maps so that any name stays data. */
class Recount {
  outcomes = 0;
  baselines = 0;
  readonly #pairs = new Map<string, Map<string, PairCounters>>();
  #previousId: string | undefined;
  readonly #duplicates: string[] = [];
  #duplicateCount = 0;

  addOutcome(outcome: Outcome): void {
    this.outcomes += 1;
    // The stream is ordered by timestamp, then id: an id listed twice for one moment sits next to itself.
    if (outcome.id === this.#previousId) {
      this.#duplicateCount += 1;
      if (this.#duplicates.length < MAX_LISTED_DUPLICATES) this.#duplicates.push(outcome.id);
    }
    this.#previousId = outcome.id;
    addOutcome(this.#counters(outcome.taskType, outcome.modelId), outcome);
  }

  addBaseline(baseline: BaselineRecord): void {
    this.baselines += 1;
    addBaseline(this.#counters(baseline.taskType, baseline.modelId), baseline);
  }

  pairCount(stored: readonly ModelStats[]): number {
    let count = 0;
    for (const models of this.#pairs.values()) count += models.size;
    return count + stored.filter((row) => this.#find(row.taskType, row.modelId) === undefined).length;
  }

  compare(stored: readonly ModelStats[]): VerifyMismatch[] {
    const mismatches: VerifyMismatch[] = [];
    const seen = new Set<PairCounters>();
    for (const row of stored) {
      const pair = this.#find(row.taskType, row.modelId);
      if (pair === undefined) {
        mismatches.push(presence(row.taskType, row.modelId, 'present', 'absent'));
        mismatches.push(...compareCounters(row.taskType, row.modelId, row, emptyCounters()));
        continue;
      }
      seen.add(pair);
      mismatches.push(...compareCounters(row.taskType, row.modelId, row, pair.counters));
    }
    for (const models of this.#pairs.values()) {
      for (const pair of models.values()) {
        if (seen.has(pair)) continue;
        mismatches.push(presence(pair.taskType, pair.modelId, 'absent', 'present'));
        mismatches.push(...compareCounters(pair.taskType, pair.modelId, emptyCounters(), pair.counters));
      }
    }
    return mismatches;
  }

  duplicateReport(): string[] {
    if (this.#duplicateCount === 0) return [];
    return [`${this.#duplicateCount} outcome(s) are listed twice, e.g. id ${this.#duplicates.join(', ')}.`];
  }

  #find(taskType: string, modelId: string): PairCounters | undefined {
    return this.#pairs.get(taskType)?.get(modelId);
  }

  #counters(taskType: string, modelId: string): StatsCounters {
    return getOrCreateNested(this.#pairs, taskType, modelId, () => ({ taskType, modelId, counters: emptyCounters() }))
      .counters;
  }
}

function presence(taskType: string, modelId: string, stored: string, recounted: string): VerifyMismatch {
  return { taskType, modelId, field: 'pair', stored, recounted };
}

/** Every verified field of one pair whose values differ: counts exactly, float sums within RELATIVE_TOLERANCE. */
export function compareCounters(
  taskType: string,
  modelId: string,
  stored: StatsCounters,
  recounted: StatsCounters,
): VerifyMismatch[] {
  const mismatches: VerifyMismatch[] = [];
  for (const field of VERIFIED_FIELDS) {
    const a = stored[field];
    const b = recounted[field];
    const same = FLOAT_FIELDS.has(field) ? closeEnough(a, b) : a === b;
    if (!same) mismatches.push({ taskType, modelId, field, stored: a, recounted: b });
  }
  return mismatches;
}

function closeEnough(a: number | string | null, b: number | string | null): boolean {
  if (typeof a !== 'number' || typeof b !== 'number') return a === b;
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}
