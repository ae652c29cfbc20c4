/**
 * The two sizes of the bench. `full` makes the published figures (bench/results/latest.json,
 * docs/PERFORMANCE.md) and stays under ~15 minutes on a 2-core machine; `short` is what CI runs:
 * the same cases on stores ten times smaller, with fewer repetitions, in about a minute.
 */
export type ProfileName = 'full' | 'short';

export interface StoreSizes {
  small: number;
  medium: number;
  large: number;
}

export interface BenchProfile {
  name: ProfileName;
  /** Stored outcomes of the three cached stores of each backend. */
  sizes: StoreSizes;
  /** Rows of the llm_task_outcomes table that importOutcomesTable reads. */
  importRows: number;
  /** Task/model pairs of the legacy model-performance.json that openStore absorbs. */
  legacyPairs: number;
  /** Interleaved rounds of the quick measurements (one round = one block per contestant). */
  rounds: number;
  /** Rounds of the measurements that take seconds each (a full scan of the large JSON store). */
  slowRounds: number;
  /** Fresh processes for the cold-open cases (one sample each). */
  coldOpenProcesses: number;
  /** record() calls per measured block on SQLite and for the naive tracker. */
  recordBlock: number;
  /**
   * record() calls per measured block on the JSON store: enough to seal journals and compact a few
   * times per block, so that every block carries its share of the compaction cost.
   */
  jsonRecordBlock: number;
  /** record() calls of each of the 4 processes of the concurrent-postgres case, per round. */
  concurrentRecordEach: number;
  /** A child that runs longer than this is killed and its case reported as failed. */
  caseTimeoutMs: number;
}

export const PROFILES: Readonly<Record<ProfileName, BenchProfile>> = {
  full: {
    name: 'full',
    sizes: { small: 1_000, medium: 100_000, large: 1_000_000 },
    importRows: 1_000_000,
    legacyPairs: 5_000,
    rounds: 9,
    slowRounds: 5,
    coldOpenProcesses: 5,
    recordBlock: 2_000,
    jsonRecordBlock: 10_000,
    concurrentRecordEach: 2_000,
    caseTimeoutMs: 6 * 60_000,
  },
  short: {
    name: 'short',
    sizes: { small: 1_000, medium: 10_000, large: 100_000 },
    importRows: 100_000,
    legacyPairs: 5_000,
    rounds: 5,
    slowRounds: 3,
    coldOpenProcesses: 3,
    recordBlock: 1_000,
    jsonRecordBlock: 5_000,
    concurrentRecordEach: 250,
    caseTimeoutMs: 3 * 60_000,
  },
};

/** 1000 -> "1k", 1000000 -> "1M": how sizes appear in figure labels. */
export function sizeLabel(count: number): string {
  if (count >= 1_000_000 && count % 1_000_000 === 0) return `${count / 1_000_000}M`;
  if (count >= 1_000 && count % 1_000 === 0) return `${count / 1_000}k`;
  return String(count);
}
