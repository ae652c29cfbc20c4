import {
  BASELINE_COUNT_FIELDS,
  type BaselineEntry,
  IMPORT_KINDS,
  type ImportKind,
  type ImportSource,
} from './baselines.js';
import { describeValue, ModelPerfError } from './errors.js';
import type { FederatedSource } from './federated.js';
import { IMPORTED_LIMITS } from './options.js';
import { addBaseline, emptyCounters } from './stats.js';
import { toIsoTimestamp } from './time-input.js';
import type { ModelStats } from './types.js';
import { checkName, isPlainRecord, ownValue } from './validation.js';

const ENTRY_FIELDS: readonly string[] = ['taskType', 'modelId', ...BASELINE_COUNT_FIELDS, 'lastUsed'];
const COUNT_FIELDS = ['successes', 'failures', 'timeouts'] as const;

function fail(field: string, problem: string): never {
  throw new ModelPerfError('MP_INVALID_IMPORT', `Invalid ${field}: ${problem}`, { field });
}

function checkRecord(value: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isPlainRecord(value)) return fail(field, `expected a plain object, got ${describeValue(value)}`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(key, 'unknown field');
  }
  return value;
}

type ImportedField = keyof typeof IMPORTED_LIMITS;

function checkLimit(value: number, field: ImportedField): number {
  const limit = IMPORTED_LIMITS[field];
  if (value > limit.max) fail(field, `${value} is above the limit ${limit.name} = ${limit.max}`);
  return value;
}

function checkCount(value: unknown, field: ImportedField): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return fail(field, `expected a non-negative whole number, got ${describeValue(value)}`);
  }
  return checkLimit(value, field);
}

function checkAmount(value: unknown, field: ImportedField): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return fail(field, `expected a finite non-negative number, got ${describeValue(value)}`);
  }
  return checkLimit(value, field);
}

/** A total that may be unknown: missing or null is null (unknown), never 0. */
function checkOptionalTotal(
  value: unknown,
  field: ImportedField,
  check: (value: unknown, field: ImportedField) => number,
): number | null {
  return value === undefined || value === null ? null : check(value, field);
}

/** An id that names a source in stored rows and messages: the rules of a name, so never blank or multi-line. */
function checkSourceId(value: unknown): string {
  return checkName(value, 'source.id', 'MP_INVALID_IMPORT');
}

/** One baseline entry, validated and copied. Throws MP_INVALID_IMPORT naming the field. */
export function normalizeBaselineEntry(input: unknown): BaselineEntry {
  const record = checkRecord(input, 'entry', ENTRY_FIELDS);
  const entry: BaselineEntry = {
    taskType: checkName(ownValue(record, 'taskType'), 'taskType', 'MP_INVALID_IMPORT'),
    modelId: checkName(ownValue(record, 'modelId'), 'modelId', 'MP_INVALID_IMPORT'),
    successes: 0,
    failures: 0,
    timeouts: 0,
    totalTokens: checkOptionalTotal(ownValue(record, 'totalTokens'), 'totalTokens', checkCount),
    totalCost: checkOptionalTotal(ownValue(record, 'totalCost'), 'totalCost', checkAmount),
    lastUsed: null,
  };
  for (const field of COUNT_FIELDS) entry[field] = checkCount(ownValue(record, field), field);
  const lastUsed = ownValue(record, 'lastUsed');
  if (lastUsed !== null) entry.lastUsed = toIsoTimestamp(lastUsed, 'lastUsed', 'MP_INVALID_IMPORT');
  return entry;
}

/**
 * A batch of baseline entries: every one checked before anything is written, and at most one per
 * (taskType, modelId), since a pair's growth is what the parity check compares.
 */
export function normalizeBaselineEntries(inputs: unknown): BaselineEntry[] {
  if (!Array.isArray(inputs)) return fail('entries', `expected an array, got ${describeValue(inputs)}`);
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  // An index loop, not map(): map skips the holes of a sparse array, which must fail as missing entries.
  for (let index = 0; index < inputs.length; index += 1) {
    try {
      const entry = normalizeBaselineEntry(inputs[index]);
      const pair = JSON.stringify([entry.taskType, entry.modelId]);
      if (seen.has(pair)) fail('entries', `a second entry for ${entry.taskType} / ${entry.modelId}`);
      seen.add(pair);
      entries.push(entry);
    } catch (error) {
      if (!(error instanceof ModelPerfError)) throw error;
      throw new ModelPerfError(error.code, `Entry ${index}: ${error.message}`, { field: error.field, cause: error });
    }
  }
  return entries;
}

function checkKind(value: unknown): ImportKind {
  const kind = IMPORT_KINDS.find((known) => known === value);
  if (kind === undefined)
    return fail('source.kind', `expected one of ${IMPORT_KINDS.join(', ')}, got ${describeValue(value)}`);
  return kind;
}

/** Copied entry by entry, so that a key such as "__proto__" stays an ordinary key of the copy. */
function checkDetails(value: unknown): Record<string, string | number> {
  if (!isPlainRecord(value)) return fail('source.details', `expected a plain object, got ${describeValue(value)}`);
  return Object.fromEntries(
    Object.entries(value).map(([key, detail]) => {
      if (typeof detail === 'string' || (typeof detail === 'number' && Number.isFinite(detail))) return [key, detail];
      return fail('source.details', `${JSON.stringify(key)} must be a string or a finite number`);
    }),
  );
}

export function normalizeImportSource(input: unknown): ImportSource {
  const record = checkRecord(input, 'source', ['id', 'kind', 'details']);
  const source: ImportSource = { id: checkSourceId(ownValue(record, 'id')), kind: checkKind(ownValue(record, 'kind')) };
  const details = ownValue(record, 'details');
  if (details !== undefined) source.details = checkDetails(details);
  return source;
}

export function normalizeFederatedSource(input: unknown): FederatedSource {
  const record = checkRecord(input, 'source', ['id', 'exportedAt']);
  return {
    id: checkSourceId(ownValue(record, 'id')),
    exportedAt: toIsoTimestamp(ownValue(record, 'exportedAt'), 'source.exportedAt', 'MP_INVALID_IMPORT'),
  };
}

const COUNTED = ['successes', 'failures', 'timeouts', 'totalTokens', 'tokenSamples', 'costSamples'] as const;

/**
 * The check a backend runs inside an import's transaction, before committing: the pair's counts must
 * have grown by exactly what the baseline adds (a known total counts one value per sample, an unknown
 * one none). Costs are sums of floats and are left out. A mismatch means a storage bug (a pair keyed
 * wrongly, a lost update) and rolls the whole import back.
 */
export function checkImportParity(
  entry: BaselineEntry,
  before: ModelStats | undefined,
  after: ModelStats | undefined,
): void {
  const expected = emptyCounters();
  addBaseline(expected, entry);
  for (const field of COUNTED) {
    const grew = (after?.[field] ?? 0) - (before?.[field] ?? 0);
    if (grew !== expected[field]) {
      throw new ModelPerfError(
        'MP_CORRUPT_DATA',
        `Import parity failed for ${entry.taskType} / ${entry.modelId}: ${field} grew by ${grew}, expected ` +
          `${expected[field]}. Nothing was imported.`,
      );
    }
  }
}
