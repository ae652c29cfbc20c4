import { type BaselineRecord, baselineEntryOf } from '../../core/baselines.js';
import { describeError } from '../../core/errors.js';
import { normalizeBaselineEntry } from '../../core/import-validation.js';
import type { Logger } from '../../core/logger.js';
import { emptyRecency, RECENCY_FIELDS, type RecencyCounters } from '../../core/recency.js';
import { readSnapshot } from '../../core/snapshot.js';
import { emptyCounters } from '../../core/stats.js';
import { baselineTable, comparePairSource, type ImportsDocument } from './imports-file.js';
import type { StatsTable } from './stats-table.js';

/**
 * The baselines a JsonStore adds to the fold of its outcomes on read: those of the imports file, and
 * the SQLite snapshot it started from, with the snapshot's recency counters (which the session's own
 * outcomes decay on read). The summed table is rebuilt only when the imports file changed.
 */
export class BaselineLayer {
  readonly #snapshot: readonly BaselineRecord[];
  readonly #recency: readonly SnapshotRecency[];
  #builtFrom: ImportsDocument | undefined;
  #table: StatsTable | undefined;

  constructor(snapshot: readonly BaselineRecord[], recency: readonly SnapshotRecency[]) {
    this.#snapshot = snapshot;
    this.#recency = recency;
  }

  /** Every baseline counted, sorted by taskType, modelId, sourceId. */
  records(document: ImportsDocument): BaselineRecord[] {
    return [...document.baselines, ...this.#snapshot].sort(comparePairSource).map((record) => ({ ...record }));
  }

  table(document: ImportsDocument): StatsTable {
    if (this.#table === undefined || this.#builtFrom !== document) {
      const table = baselineTable([...document.baselines, ...this.#snapshot]);
      for (const { taskType, modelId, counters } of this.#recency) {
        table.addCounters(taskType, modelId, { ...emptyCounters(), ...counters }, 0);
      }
      this.#table = table;
      this.#builtFrom = document;
    }
    return this.#table;
  }
}

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
    const records = snapshot.entries.map((entry) => ({
      ...normalizeBaselineEntry(baselineEntryOf(entry)),
      sourceId,
    }));
    const recency = snapshot.entries.map((entry) => {
      const counters = emptyRecency();
      for (const field of RECENCY_FIELDS) counters[field] = entry[field];
      return { taskType: entry.taskType, modelId: entry.modelId, counters };
    });
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
