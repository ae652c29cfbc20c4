import type { BaselineRecord } from '../../core/baselines.js';
import { emptyCounters } from '../../core/stats.js';
import { baselineTable, comparePairSource, type ImportsDocument } from './imports-document.js';
import type { SnapshotRecency } from './snapshot-layer.js';
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
