/**
 * Sizes and delays of the JSON backend. The defaults keep opening fast (little journal data to fold)
 * and compaction short; tests pass smaller values to make rotation and compaction happen often.
 */
export interface JsonTuning {
  /** A writer seals its journal and starts a new one past this size. */
  rotateBytes: number;
  /** Compaction runs once this many sealed or abandoned journals wait... */
  compactMinFiles: number;
  /** ...or once they hold this many bytes. */
  compactMinBytes: number;
  /** One compaction merges at most this much journal data (at least one journal), so that it stays short. */
  compactMaxBytes: number;
  /** Small segments at the end are merged into the new one up to this size, so that segments stay few. */
  segmentMergeMaxBytes: number;
  /** A lock untouched for this long is stale even when its holder seems alive (a reused pid, another host). */
  lockStaleMs: number;
}

export const DEFAULT_TUNING: Readonly<JsonTuning> = Object.freeze({
  rotateBytes: 1 << 20,
  compactMinFiles: 8,
  compactMinBytes: 1 << 20,
  compactMaxBytes: 64 << 20,
  segmentMergeMaxBytes: 32 << 20,
  lockStaleMs: 10 * 60_000,
});

/** Bytes read from a file per system call. */
export const READ_CHUNK_BYTES = 1 << 20;
