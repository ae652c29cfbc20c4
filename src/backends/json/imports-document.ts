import type { BaselineEntry, BaselineRecord, ImportRecord, ImportSource } from '../../core/baselines.js';
import type { FederatedEntry, FederatedSource } from '../../core/federated.js';
import { compareText } from '../../core/stats.js';
import { StatsTable } from './stats-table.js';

/**
 * What the JSON backend keeps about imports, in model-perf.imports.json: the recorded sources, the
 * baselines they brought (added to the stats on read), and federated priors (never added). Every list
 * is kept in its listing order, so a read returns it as it is. Names are values in records, never
 * object keys, so "__proto__" is data like any other name.
 */
export interface ImportsDocument {
  /** By importedAt, then id. */
  readonly imports: readonly ImportRecord[];
  /** By taskType, modelId, sourceId. */
  readonly baselines: readonly BaselineRecord[];
  /** By taskType, modelId, sourceId. */
  readonly federated: readonly FederatedEntry[];
}

export const EMPTY_IMPORTS: ImportsDocument = Object.freeze({ imports: [], baselines: [], federated: [] });

function compareImports(a: ImportRecord, b: ImportRecord): number {
  return compareText(a.importedAt, b.importedAt) || compareText(a.id, b.id);
}

export function comparePairSource(a: BaselineRecord, b: BaselineRecord): number {
  return (
    compareText(a.taskType, b.taskType) || compareText(a.modelId, b.modelId) || compareText(a.sourceId, b.sourceId)
  );
}

/** A copy for a caller, who may change it without changing what the store holds. */
export function copyImport(record: ImportRecord): ImportRecord {
  return record.details === undefined ? { ...record } : { ...record, details: { ...record.details } };
}

export function hasImport(document: ImportsDocument, sourceId: string): boolean {
  return document.imports.some((record) => record.id === sourceId);
}

/** The document with the source recorded and its entries kept as baselines. */
export function withImport(
  document: ImportsDocument,
  source: ImportSource,
  entries: readonly BaselineEntry[],
  now: Date,
): ImportsDocument {
  const record: ImportRecord = { ...source, importedAt: now.toISOString() };
  const added = entries.map((entry) => ({ ...entry, sourceId: source.id }));
  return {
    imports: [...document.imports, record].sort(compareImports),
    baselines: [...document.baselines, ...added].sort(comparePairSource),
    federated: document.federated,
  };
}

/** The document with the source's federated entries replaced by these. */
export function withFederated(
  document: ImportsDocument,
  source: FederatedSource,
  entries: readonly BaselineEntry[],
  now: Date,
): ImportsDocument {
  const importedAt = now.toISOString();
  const kept = document.federated.filter((entry) => entry.sourceId !== source.id);
  const added = entries.map((entry) => ({ ...entry, sourceId: source.id, exportedAt: source.exportedAt, importedAt }));
  return { ...document, federated: [...kept, ...added].sort(comparePairSource) };
}

/** The stats the baselines add, per pair. */
export function baselineTable(baselines: readonly BaselineEntry[]): StatsTable {
  const table = new StatsTable(true);
  for (const entry of baselines) table.addBaseline(entry);
  return table;
}
