import type { BaselineEntry } from './baselines.js';
import { addToRecency, emptyRecency, RECENCY_FIELDS, stackRecency } from './recency.js';
import type { ModelStats, Outcome, OutcomeSums } from './types.js';

/** The counters a backend persists per (taskType, modelId); the derived fields are computed on read. */
export type StatsCounters = Omit<ModelStats, 'taskType' | 'modelId' | 'samples' | 'successRate'>;

/** The numeric counters that a recount of the outcomes (plus baselines) gives exactly: all but recency. */
export const VALUE_COUNTERS = [
  'successes',
  'failures',
  'timeouts',
  'totalTokens',
  'tokenSamples',
  'totalCost',
  'costSamples',
  'totalLatencyMs',
  'latencySamples',
] as const;

/** Sums of no outcomes. */
export function emptySums(): OutcomeSums {
  return {
    timeouts: 0,
    totalTokens: 0,
    tokenSamples: 0,
    totalCost: 0,
    costSamples: 0,
    totalLatencyMs: 0,
    latencySamples: 0,
  };
}

export function emptyCounters(): StatsCounters {
  return { successes: 0, failures: 0, ...emptySums(), lastUsed: null, ...emptyRecency() };
}

/** The counters of a stats row (such as ModelStats), without its names and derived fields. */
export function countersOf(stats: StatsCounters): StatsCounters {
  const counters = emptyCounters();
  for (const field of VALUE_COUNTERS) counters[field] = stats[field];
  for (const field of RECENCY_FIELDS) counters[field] = stats[field];
  counters.lastUsed = stats.lastUsed;
  return counters;
}

/**
 * Adds one outcome to the sums of a stats row or a summary group, in place: a value it did not carry
 * is left out, not counted as 0.
 */
export function addToSums(sums: OutcomeSums, outcome: Outcome): void {
  if (outcome.timeout) sums.timeouts += 1;
  if (outcome.tokensUsed !== null) {
    sums.totalTokens += outcome.tokensUsed;
    sums.tokenSamples += 1;
  }
  if (outcome.costUsd !== null) {
    sums.totalCost += outcome.costUsd;
    sums.costSamples += 1;
  }
  if (outcome.latencyMs !== null) {
    sums.totalLatencyMs += outcome.latencyMs;
    sums.latencySamples += 1;
  }
}

/** Adds one outcome to the counters in place, stepping its pair's recency counters. */
export function addOutcome(counters: StatsCounters, outcome: Outcome): void {
  if (outcome.success) counters.successes += 1;
  else counters.failures += 1;
  addToSums(counters, outcome);
  counters.lastUsed = latest(counters.lastUsed, outcome.timestamp);
  addToRecency(counters, outcome.success);
}

/** The later of two ISO timestamps, where null means "never". */
function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  return b !== null && b > a ? b : a;
}

/**
 * Adds a baseline to the counters in place. A known total counts as the value of each of its samples;
 * an unknown (null) one adds nothing. A baseline carries no latency, and is history rather than recent
 * evidence, so the latency sums and the recency counters stay.
 */
export function addBaseline(counters: StatsCounters, entry: Omit<BaselineEntry, 'taskType' | 'modelId'>): void {
  const samples = entry.successes + entry.failures;
  counters.successes += entry.successes;
  counters.failures += entry.failures;
  counters.timeouts += entry.timeouts;
  if (entry.totalTokens !== null) {
    counters.totalTokens += entry.totalTokens;
    counters.tokenSamples += samples;
  }
  if (entry.totalCost !== null) {
    counters.totalCost += entry.totalCost;
    counters.costSamples += samples;
  }
  counters.lastUsed = latest(counters.lastUsed, entry.lastUsed);
}

/**
 * Adds one layer's counters to another's in place, as when layers of stats are summed on read. The
 * recency counters stack (core/recency.ts): `source` must be the later layer, and `sourceOutcomes` the
 * number of raw outcomes it holds (0 for a layer of baselines).
 */
export function addCounters(target: StatsCounters, source: StatsCounters, sourceOutcomes: number): void {
  for (const field of VALUE_COUNTERS) target[field] += source[field];
  target.lastUsed = latest(target.lastUsed, source.lastUsed);
  stackRecency(target, source, sourceOutcomes);
}

/**
 * The average of the values a total sums, or null when there were none: an outcome that did not say
 * its tokens, cost or latency is left out of the average instead of counting as 0.
 */
export function averageOf(total: number, values: number): number | null {
  return values === 0 ? null : total / values;
}

export function toModelStats(taskType: string, modelId: string, counters: StatsCounters): ModelStats {
  const samples = counters.successes + counters.failures;
  return {
    taskType,
    modelId,
    ...countersOf(counters),
    samples,
    successRate: samples === 0 ? 0 : counters.successes / samples,
  };
}

/** Orders stats the way listStats promises: taskType, then modelId, by code unit (as SQLite's BINARY collation). */
export function compareStats(a: ModelStats, b: ModelStats): number {
  return compareText(a.taskType, b.taskType) || compareText(a.modelId, b.modelId);
}

/**
 * Code-point order, the same as SQLite's default BINARY collation on UTF-8 text, so that every backend
 * lists names in one order. UTF-16 code-unit order differs from it only where a surrogate meets a unit
 * of U+E000-U+FFFF; shifting surrogates above that range fixes exactly that case.
 */
export function compareText(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** The value under (outer, inner) in a two-level map, created and stored when it is not there yet. */
export function getOrCreateNested<V>(
  map: Map<string, Map<string, V>>,
  outer: string,
  inner: string,
  create: () => V,
): V {
  let values = map.get(outer);
  if (values === undefined) {
    values = new Map();
    map.set(outer, values);
  }
  let value = values.get(inner);
  if (value === undefined) {
    value = create();
    values.set(inner, value);
  }
  return value;
}
