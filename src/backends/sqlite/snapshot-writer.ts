import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { writeSnapshot } from '../../core/snapshot.js';
import type { ModelStats } from '../../core/types.js';

/** Successful writes between two snapshots: often enough that a crash loses little history, rare enough to cost nothing. */
export const SNAPSHOT_EVERY_WRITES = 500;

/**
 * Keeps `<dir>/model-perf.snapshot.json` (core/snapshot.ts) close to the database: rewritten every
 * SNAPSHOT_EVERY_WRITES successful writes and at close, so that a JSON session that must take over
 * while SQLite cannot start keeps the rankings' history. Best effort: a snapshot that cannot be written
 * is a warning, never a failed write or close. The stats are read synchronously when a snapshot is
 * due (one consistent read); only the file write runs in the background, one at a time.
 */
export class SnapshotWriter {
  readonly #dir: string;
  readonly #logger: Logger;
  readonly #readStats: () => ModelStats[];
  #writesSinceSnapshot = 0;
  #writing: Promise<void> = Promise.resolve();

  constructor(dir: string, logger: Logger, readStats: () => ModelStats[]) {
    this.#dir = dir;
    this.#logger = logger;
    this.#readStats = readStats;
  }

  /** Called after each committed write. */
  noteWrite(): void {
    this.#writesSinceSnapshot += 1;
    if (this.#writesSinceSnapshot >= SNAPSHOT_EVERY_WRITES) this.#start();
  }

  /** Writes the final snapshot; resolves once every snapshot write has settled. Call before the database closes. */
  async close(): Promise<void> {
    this.#start();
    await this.#writing;
  }

  #start(): void {
    this.#writesSinceSnapshot = 0;
    let stats: ModelStats[];
    try {
      stats = this.#readStats();
    } catch (error) {
      this.#warn(error);
      return;
    }
    this.#writing = this.#writing.then(() =>
      writeSnapshot(this.#dir, stats).catch((error: unknown) => this.#warn(error)),
    );
  }

  #warn(error: unknown): void {
    this.#logger.warn(
      `Could not write the stats snapshot in ${this.#dir} (${describeError(error)}); a JSON session that ` +
        'takes over from SQLite would start without the latest history. The next snapshot retries.',
    );
  }
}
