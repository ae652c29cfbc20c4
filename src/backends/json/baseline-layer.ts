import type { BaselineRecord } from '../../core/baselines.js';
import { baselineTable, comparePairSource, type ImportsDocument } from './imports-document.js';
import type { StatsTable } from './stats-table.js';

/**
 * The baselines a JsonStore adds to the fold of its outcomes on read: those of the imports file, and
 * the SQLite snapshot it started from. The summed table is rebuilt only when the imports file changed.
 */
export class BaselineLayer {
  readonly #snapshot: readonly BaselineRecord[];
  #builtFrom: ImportsDocument | undefined;
  #table: StatsTable | undefined;

  constructor(snapshot: readonly BaselineRecord[]) {
    this.#snapshot = snapshot;
  }

  /** Every baseline counted, sorted by taskType, modelId, sourceId. */
  records(document: ImportsDocument): BaselineRecord[] {
    return [...document.baselines, ...this.#snapshot].sort(comparePairSource).map((record) => ({ ...record }));
  }

  table(document: ImportsDocument): StatsTable {
    if (this.#table === undefined || this.#builtFrom !== document) {
      this.#table = baselineTable([...document.baselines, ...this.#snapshot]);
      this.#builtFrom = document;
    }
    return this.#table;
  }
}
