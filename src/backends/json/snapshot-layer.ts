import { type BaselineRecord, baselineEntryOf } from '../../core/baselines.js';
import { describeError } from '../../core/errors.js';
import { normalizeBaselineEntry } from '../../core/import-validation.js';
import type { Logger } from '../../core/logger.js';
import type { RecencyCounters } from '../../core/recency.js';
import { readSnapshot } from '../../core/snapshot.js';

/** Snapshot baselines are listed under this source id prefix; no import record carries it. */
export const SNAPSHOT_SOURCE_PREFIX = 'sqlite-snapshot:';

/** A pair's recency counters as the snapshot holds them. */
export interface SnapshotRecency {
  taskType: string;
  modelId: string;
  counters: RecencyCounters;
}

export interface SnapshotLayer {
  records: BaselineRecord[];
  /** Kept apart from the baselines, which never carry recency: they stack under this session's outcomes. */
  recency: SnapshotRecency[];
  /** What info.warnings should say about it, when there was a snapshot. */
  warning: string | undefined;
}

/**
 * The aggregate snapshot a SQLite store left in dir (core/snapshot.ts), as read-only baselines, so that
 * a JSON session that takes over keeps the rankings' history. It lives in memory only: never written
 * into the JSON files, and never an import, so that when SQLite takes over again and absorbs this
 * session's outcomes nothing is counted twice. Latency sums are left out, as for every baseline: the
 * average latency of the session is then that of its own outcomes; its token and cost totals count as
 * baselines' do (null when the snapshot knew none). A damaged snapshot is a warning.
 */
export async function readSnapshotLayer(dir: string, logger: Logger): Promise<SnapshotLayer> {
  try {
    const snapshot = await readSnapshot(dir);
    if (snapshot === undefined) return { records: [], recency: [], warning: undefined };
    const sourceId = `${SNAPSHOT_SOURCE_PREFIX}${snapshot.writtenAt}`;
    const records = snapshot.entries.map((entry) => ({ ...normalizeBaselineEntry(baselineEntryOf(entry)), sourceId }));
    const recency = snapshot.entries.map(({ taskType, modelId, ...counters }) => ({
      taskType,
      modelId,
      counters: {
        fastSuccesses: counters.fastSuccesses,
        fastFailures: counters.fastFailures,
        slowSuccesses: counters.slowSuccesses,
        slowFailures: counters.slowFailures,
      },
    }));
    const warning =
      `Started from the SQLite stats snapshot written at ${snapshot.writtenAt}: its ${records.length} ` +
      'task/model pairs count as a read-only baseline in this JSON session.';
    logger.info(warning);
    return { records, recency, warning };
  } catch (error) {
    const warning = `The SQLite stats snapshot in ${dir} could not be used (${describeError(error)}); this JSON session starts without its history.`;
    logger.warn(warning);
    return { records: [], recency: [], warning };
  }
}
