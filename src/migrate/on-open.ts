import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PerformanceStore } from '../core/store.js';
import { absorbJsonStore } from './absorb-json-store.js';
import { absorbLegacy } from './absorb-legacy.js';
import { pruneBackups } from './prune-backups.js';

/**
 * What a SQLite store does when it opens: absorb a legacy stats file, absorb outcomes recorded on JSON
 * meanwhile (a degraded session, or an older Node), and prune old archives. None of it
 * may keep the store from opening: a failure becomes a warning (in info.warnings and the log) and the
 * step is retried at the next open, which is safe because every step is idempotent.
 */
export async function migrateOnOpen(store: PerformanceStore, dir: string, logger: Logger): Promise<void> {
  const warn = (message: string): void => {
    store.info.warnings.push(message);
    logger.warn(message);
  };
  try {
    const legacy = await absorbLegacy(store, dir);
    if (legacy.status === 'invalid') {
      warn(`The legacy stats file ${legacy.file} was not imported and was left as it is: ${legacy.reason}`);
    } else if (legacy.status === 'absorbed') {
      logger.info(
        `Imported ${legacy.pairs} task/model pairs from ${legacy.file}; the original is kept in ${legacy.archive}.`,
      );
    }
  } catch (error) {
    warn(
      `Importing the legacy stats file in ${dir} failed (${describeError(error)}); it stays in place and the next open retries.`,
    );
  }
  try {
    const absorbed = await absorbJsonStore(store, dir, logger);
    if (absorbed !== undefined) {
      logger.info(
        `Absorbed ${absorbed.outcomes} outcomes recorded on JSON; its files are kept in ${absorbed.archives.join(', ')}.`,
      );
    }
  } catch (error) {
    warn(`Absorbing outcomes recorded on JSON in ${dir} failed (${describeError(error)}); the next open retries.`);
  }
  try {
    for (const removed of await pruneBackups({ dir }))
      logger.info(`Removed ${removed}: older than the 7-day retention.`);
  } catch (error) {
    warn(`Pruning old backups in ${dir} failed: ${describeError(error)}.`);
  }
}
