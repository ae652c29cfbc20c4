import type { ModelStats } from './types.js';

/**
 * Aggregates that arrive without their raw outcomes: a legacy stats file, or the snapshot a SQLite
 * store leaves for a degraded JSON session. They count in stats, but they are not outcomes, so
 * "aggregates = recount of outcomes + baselines" stays true.
 */
/** The counts a baseline adds to its pair's stats. */
export const BASELINE_COUNT_FIELDS = ['successes', 'failures', 'timeouts', 'totalTokens', 'totalCost'] as const;

/**
 * totalTokens and totalCost are null when unknown (a legacy file without the field). A known total
 * counts as one value per sample (successes + failures) when averaged, since a baseline does not say
 * how many values it summed.
 */
export type BaselineEntry = Pick<
  ModelStats,
  'taskType' | 'modelId' | 'successes' | 'failures' | 'timeouts' | 'lastUsed'
> & {
  totalTokens: number | null;
  totalCost: number | null;
};

/**
 * A stats row (such as ModelStats) as a baseline: its counts, and the totals of the values it knows,
 * null when it knows none. A total that only some samples carried is still the sum of what is known.
 */
export function baselineEntryOf(source: Omit<ModelStats, 'samples' | 'successRate'>): BaselineEntry {
  const { taskType, modelId, successes, failures, timeouts, totalTokens, totalCost, lastUsed } = source;
  return {
    taskType,
    modelId,
    successes,
    failures,
    timeouts,
    totalTokens: source.tokenSamples === 0 ? null : totalTokens,
    totalCost: source.costSamples === 0 ? null : totalCost,
    lastUsed,
  };
}

/**
 * A baseline's values in the order of the SQL backends' baseline columns (task_type, model_id,
 * successes, failures, timeouts, total_tokens, total_cost, last_used), for binding to an INSERT.
 */
export function baselineValues(
  entry: BaselineEntry,
): [string, string, number, number, number, number | null, number | null, string | null] {
  const { taskType, modelId, successes, failures, timeouts, totalTokens, totalCost, lastUsed } = entry;
  return [taskType, modelId, successes, failures, timeouts, totalTokens, totalCost, lastUsed];
}

/** A baseline as a store keeps it: with the source it came from, so each stays accountable. */
export interface BaselineRecord extends BaselineEntry {
  sourceId: string;
}

export const IMPORT_KINDS = ['legacy-json', 'degraded-json', 'outcomes-table'] as const;

export type ImportKind = (typeof IMPORT_KINDS)[number];

/** A source of imported data, recorded once so that re-running an import adds nothing. */
export interface ImportSource {
  /** Stable for the same data: e.g. the legacy file's SHA-256, or a table's path and name. */
  id: string;
  kind: ImportKind;
  /** Free-form facts for people (file name, counts); never used for logic. */
  details?: Record<string, string | number>;
}

export interface ImportRecord extends ImportSource {
  importedAt: string;
}

/** An imported_sources row as a record; `details` is the JSON text the SQL backends store, or null. */
export function toImportRecord(id: string, kind: string, importedAt: string, details: string | null): ImportRecord {
  const record: ImportRecord = { id, kind: kind as ImportKind, importedAt };
  if (details !== null) record.details = JSON.parse(details) as Record<string, string | number>;
  return record;
}
