import { mkdir } from 'node:fs/promises';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { writeSnapshot } from '../../core/snapshot.js';
import type { ModelStats } from '../../core/types.js';

/** Successful writes between two snapshots, as on SQLite: often enough to lose little, rare enough to cost nothing. */
const SNAPSHOT_EVERY_WRITES = 500;

/**
 * Keeps `<dir>/model-perf.snapshot.json` close to the server's stats (after each sync, every few hundred
 * writes, and at close), so that a local JSON session that must take over while PostgreSQL is out of
 * reach starts from the fleet's history instead of from nothing. Its counts are never pushed back.
 * Best effort: a snapshot that cannot be written is a warning, never a failed write.
 */
export class ServerSnapshot {
  readonly #dir: string;
  readonly #logger: Logger;
  readonly #readStats: () => Promise<ModelStats[]>;
  #writes = 0;
  #writing: Promise<void> = Promise.resolve();

  constructor(dir: string, logger: Logger, readStats: () => Promise<ModelStats[]>) {
    this.#dir = dir;
    this.#logger = logger;
    this.#readStats = readStats;
  }

  /** Called after each write the server committed. */
  noteWrite(): void {
    this.#writes += 1;
    if (this.#writes >= SNAPSHOT_EVERY_WRITES) void this.refresh();
  }

  /** Writes a snapshot after any in progress; resolves when it is written (or failed with a warning). */
  refresh(): Promise<void> {
    this.#writes = 0;
    this.#writing = this.#writing.then(() => this.#write());
    return this.#writing;
  }

  /** Resolves once every snapshot asked for so far is written (or failed with a warning). */
  settled(): Promise<void> {
    return this.#writing;
  }

  async #write(): Promise<void> {
    try {
      const stats = await this.#readStats();
      await mkdir(this.#dir, { recursive: true });
      await writeSnapshot(this.#dir, stats);
    } catch (error) {
      this.#logger.warn(
        `Could not write the stats snapshot in ${this.#dir} (${describeError(error)}); a local session that ` +
          'takes over while PostgreSQL is out of reach would start without the latest history. ' +
          'The next snapshot retries.',
      );
    }
  }
}
