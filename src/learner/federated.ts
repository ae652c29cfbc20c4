import { createHash } from 'node:crypto';
import { type BaselineEntry, baselineEntryOf } from '../core/baselines.js';
import { describeValue, ModelPerfError } from '../core/errors.js';
import { normalizeBaselineEntries } from '../core/import-validation.js';
import { emptyCounters, toModelStats } from '../core/stats.js';
import type { PerformanceStore } from '../core/store.js';
import { toIsoTimestamp } from '../core/time-input.js';
import type { ModelStats } from '../core/types.js';
import { checkLookalikes, checkName, isPlainRecord, ownValue } from '../core/validation.js';
import { readInstallationId } from '../open/rollout.js';

export const STATS_FORMAT = 'model-perf-stats';
/** Version 2: an entry's totalTokens and totalCost may be null or missing (unknown). */
export const STATS_VERSION = 2;
/** Bounds on an imported document: it comes from another machine, and a prior needs no more. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENT_ENTRIES = 100_000;
/**
 * The most samples the federated counts of a task and model weigh as a prior, whatever the number of
 * sources. A document is another installation's word, not evidence gathered here: without a cap, one
 * document claiming 2^53 successes would outweigh any amount of local data, and a peer whose runtime
 * differs would keep choose() on its belief for thousands of dispatches. 50 lets peers settle a cold
 * start (a model with 45 of 50 abroad starts near 0.9) while 50 local outcomes already weigh as much.
 * Rankings and choose() share it through loadPriors.
 */
export const MAX_PRIOR_SAMPLES = 50;

/** Counts scaled down to at most MAX_PRIOR_SAMPLES samples, keeping their success rate. */
export function capPriorWeight(successes: number, failures: number): Prior {
  const samples = successes + failures;
  if (samples <= MAX_PRIOR_SAMPLES) return { successes, failures };
  const scale = MAX_PRIOR_SAMPLES / samples;
  return { successes: successes * scale, failures: failures * scale };
}

/**
 * What ModelLearner.exportStats writes and importStats reads: the aggregates of one store, never its
 * raw outcomes, so that sharing them reveals no single task. Versioned, so that a later format can be
 * told apart and refused by this code instead of misread.
 */
export interface StatsDocument {
  format: typeof STATS_FORMAT;
  version: typeof STATS_VERSION;
  /** The exporting store's stable id: importing the same source again replaces its priors. */
  sourceId: string;
  exportedAt: string;
  entries: BaselineEntry[];
}

const DOCUMENT_FIELDS: readonly string[] = ['format', 'version', 'sourceId', 'exportedAt', 'entries'];
/** Keys that would reach an object's prototype if a consumer copied the document naively. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function fail(field: string, problem: string): never {
  throw new ModelPerfError('MP_INVALID_IMPORT', `Invalid stats document: ${field} ${problem}`, { field });
}

export function buildStatsDocument(sourceId: string, now: Date, stats: readonly ModelStats[]): StatsDocument {
  const entries = stats.map(baselineEntryOf);
  return { format: STATS_FORMAT, version: STATS_VERSION, sourceId, exportedAt: now.toISOString(), entries };
}

/** A prototype key is refused as a key of the structure; as a name (a value) it is ordinary data. */
function checkKeys(record: Record<string, unknown>, where: string): void {
  for (const key of Object.getOwnPropertyNames(record)) {
    if (PROTOTYPE_KEYS.has(key)) fail(key, `is not allowed as a key (in ${where})`);
  }
}

function checkSize(document: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(document));
  if (bytes > MAX_DOCUMENT_BYTES) fail('document', `is ${bytes} bytes as JSON, at most ${MAX_DOCUMENT_BYTES} allowed`);
}

/** Validates a document from anywhere (JSON.parse of a file, a network reply); throws MP_INVALID_IMPORT naming what is wrong. */
export function parseStatsDocument(value: unknown): StatsDocument {
  if (!isPlainRecord(value)) return fail('document', `must be a plain object, got ${describeValue(value)}`);
  checkKeys(value, 'the document');
  for (const key of Object.keys(value)) {
    if (!DOCUMENT_FIELDS.includes(key)) fail(key, 'is not a field of the document');
  }
  const format = ownValue(value, 'format');
  if (format !== STATS_FORMAT) fail('format', `must be "${STATS_FORMAT}", got ${describeValue(format)}`);
  const version = ownValue(value, 'version');
  if (version !== STATS_VERSION) {
    fail('version', `${describeValue(version)} is not supported; this model-perf reads version ${STATS_VERSION}`);
  }
  const entries = ownValue(value, 'entries');
  if (!Array.isArray(entries)) return fail('entries', `must be an array, got ${describeValue(entries)}`);
  if (entries.length > MAX_DOCUMENT_ENTRIES) {
    fail('entries', `holds ${entries.length} entries, at most ${MAX_DOCUMENT_ENTRIES} allowed`);
  }
  entries.forEach((entry: unknown, index) => {
    if (isPlainRecord(entry)) checkKeys(entry, `entry ${index}`);
  });
  const document: StatsDocument = {
    format: STATS_FORMAT,
    version: STATS_VERSION,
    sourceId: checkName(ownValue(value, 'sourceId'), 'sourceId', 'MP_INVALID_IMPORT'),
    exportedAt: toIsoTimestamp(ownValue(value, 'exportedAt'), 'exportedAt', 'MP_INVALID_IMPORT'),
    entries: normalizeBaselineEntries(entries),
  };
  // Names from another installation are new here: none may pass for another name.
  for (const entry of document.entries) {
    checkLookalikes(entry.taskType, 'taskType', 'MP_INVALID_IMPORT');
    checkLookalikes(entry.modelId, 'modelId', 'MP_INVALID_IMPORT');
  }
  // Last: by now every value is a checked primitive, so serialising cannot throw or run long.
  checkSize(value);
  return document;
}

/** Successes and failures other installations saw, added to a model's own before its bounds are computed. */
export interface Prior {
  successes: number;
  failures: number;
}

export const NO_PRIOR: Prior = Object.freeze({ successes: 0, failures: 0 });

/**
 * The federated counts of each model of a task, summed over every source that exported them, then capped
 * at MAX_PRIOR_SAMPLES: no number of documents outweighs what this store sees.
 */
export async function loadPriors(store: PerformanceStore, taskType: string): Promise<Map<string, Prior>> {
  const sums = new Map<string, Prior>();
  for (const entry of await store.listFederated({ taskType })) {
    const sum = sums.get(entry.modelId) ?? { successes: 0, failures: 0 };
    sum.successes += entry.successes;
    sum.failures += entry.failures;
    sums.set(entry.modelId, sum);
  }
  return new Map([...sums].map(([modelId, sum]) => [modelId, capPriorWeight(sum.successes, sum.failures)]));
}

/**
 * The task's stats plus an empty row for each model known only from the priors: the cold start that
 * federation is for, where peers' experience ranks a model this store has not run yet.
 */
export function withPriorOnlyModels(
  taskType: string,
  stats: readonly ModelStats[],
  priors: ReadonlyMap<string, Prior>,
): ModelStats[] {
  const known = new Set(stats.map((model) => model.modelId));
  const priorOnly = [...priors.keys()]
    .filter((modelId) => !known.has(modelId))
    .map((modelId) => toModelStats(taskType, modelId, emptyCounters()));
  return [...stats, ...priorOnly];
}

/**
 * The id under which a store's exports are known to others: its installation id (kept in its dir,
 * the one staged rollouts use), so that each new export from this store replaces the last one
 * wherever it is imported. A dir that cannot keep the id file is known by a hash of its path instead.
 */
export async function storeSourceId(store: PerformanceStore): Promise<string> {
  try {
    return await readInstallationId(store.info.dir);
  } catch {
    return `dir-${createHash('sha256').update(store.info.dir).digest('hex')}`;
  }
}
