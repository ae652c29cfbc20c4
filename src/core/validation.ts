import { randomUUID } from 'node:crypto';
import { canonicalName, OUTCOME_LIMITS } from './bounds.js';
import { ModelPerfError, type ModelPerfErrorCode } from './errors.js';
import type { FederatedFilter } from './federated.js';
import type { Outcome, OutcomeQuery, StatsFilter, SummaryGroup, SummaryQuery } from './types.js';

export const MAX_NAME_LENGTH = 200;
export const MAX_ID_LENGTH = 128;

const OUTCOME_FIELDS = new Set([
  'taskType',
  'modelId',
  'success',
  'timeout',
  'tokensUsed',
  'costUsd',
  'latencyMs',
  'timestamp',
  'id',
]);

/** C0 and C1 control characters break log lines, tables and terminal output, so names may not hold them. */
export function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const unit = value.charCodeAt(index);
    if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)) return true;
  }
  return false;
}

function fail(code: ModelPerfErrorCode, field: string, problem: string): never {
  throw new ModelPerfError(code, `Invalid ${field}: ${problem}`, { field });
}

/** An object literal or JSON.parse result: class instances, arrays and other objects are not input. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A field of input read as data: an inherited property (Object.prototype's) is never a value. */
export function ownValue(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A short, safe rendering of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
}

/** A task type or model id: what the store keys on, in NFC (see canonicalName). */
export function checkName(value: unknown, field: string, code: ModelPerfErrorCode): string {
  if (typeof value !== 'string') return fail(code, field, `expected a string, got ${describeValue(value)}`);
  const name = canonicalName(value);
  if (name === undefined) return fail(code, field, 'must be well-formed Unicode (it holds a lone surrogate)');
  if (name.length === 0 || name.trim().length === 0) return fail(code, field, 'must not be empty');
  if (name.length > MAX_NAME_LENGTH) {
    return fail(code, field, `${name.length} characters, at most ${MAX_NAME_LENGTH} allowed`);
  }
  if (hasControlCharacter(name)) return fail(code, field, 'must not contain control characters');
  return name;
}

function checkOptionalBoolean(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    return fail('MP_INVALID_OUTCOME', field, `expected a boolean, got ${describeValue(value)}`);
  return value;
}

function checkNonNegative(value: unknown, field: keyof typeof OUTCOME_LIMITS, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return fail('MP_INVALID_OUTCOME', field, `expected a finite number, got ${describeValue(value)}`);
  }
  if (value < 0) return fail('MP_INVALID_OUTCOME', field, `must not be negative, got ${value}`);
  // Before the whole-number check: 2^53 and above are whole numbers too, just past the limit.
  const limit = OUTCOME_LIMITS[field];
  if (value > limit.max) {
    return fail('MP_INVALID_OUTCOME', field, `${value} is above the per-outcome limit ${limit.name} = ${limit.max}`);
  }
  if (integer && !Number.isInteger(value)) {
    return fail('MP_INVALID_OUTCOME', field, `expected a whole number, got ${value}`);
  }
  return value;
}

/**
 * Parses a Date or date string to ISO 8601 UTC. Years are kept within 0000-9999 so that
 * stored timestamps are fixed-width and sort as strings in time order.
 */
export function toIsoTimestamp(value: unknown, field: string, code: ModelPerfErrorCode): string {
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'string' && value.trim().length > 0) date = new Date(value);
  else return fail(code, field, `expected a Date or a date string, got ${describeValue(value)}`);
  const time = date.getTime();
  if (Number.isNaN(time)) return fail(code, field, `not a valid date: ${describeValue(value)}`);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) return fail(code, field, `year ${year} is outside 0000-9999`);
  return date.toISOString();
}

function checkId(value: unknown): string {
  if (value === undefined) return randomUUID();
  if (typeof value !== 'string')
    return fail('MP_INVALID_OUTCOME', 'id', `expected a string, got ${describeValue(value)}`);
  if (value.length === 0) return fail('MP_INVALID_OUTCOME', 'id', 'must not be empty');
  if (value.length > MAX_ID_LENGTH) {
    return fail('MP_INVALID_OUTCOME', 'id', `${value.length} characters, at most ${MAX_ID_LENGTH} allowed`);
  }
  if (hasControlCharacter(value)) return fail('MP_INVALID_OUTCOME', 'id', 'must not contain control characters');
  // Kept as given (an id is opaque, not normalised), but it must be storable as given.
  if (!value.isWellFormed())
    return fail('MP_INVALID_OUTCOME', 'id', 'must be well-formed Unicode (it holds a lone surrogate)');
  return value;
}

/** Validates one outcome input and returns the stored form. Throws MP_INVALID_OUTCOME naming the field. */
export function normalizeOutcome(input: unknown, now: () => Date = () => new Date()): Outcome {
  return normalizeOutcomeInput(input, now).outcome;
}

/** A validated outcome, and whether its id is a fresh random UUID made here rather than the caller's. */
export interface NormalizedOutcome {
  outcome: Outcome;
  idGenerated: boolean;
}

/**
 * normalizeOutcome, telling also whether the id was generated: such an id cannot be stored already, so
 * a backend may skip its duplicate check. Told from the id actually read, not by reading the input
 * again (a getter could answer differently the second time).
 */
export function normalizeOutcomeInput(input: unknown, now: () => Date = () => new Date()): NormalizedOutcome {
  if (!isPlainRecord(input)) {
    return fail(
      'MP_INVALID_OUTCOME',
      'outcome',
      `expected a plain object, got ${input === null ? 'null' : typeof input}`,
    );
  }
  for (const key of Object.keys(input)) {
    if (!OUTCOME_FIELDS.has(key)) return fail('MP_INVALID_OUTCOME', key, 'unknown field');
  }
  const success = ownValue(input, 'success');
  if (typeof success !== 'boolean') {
    return fail('MP_INVALID_OUTCOME', 'success', `expected a boolean, got ${describeValue(success)}`);
  }
  const tokens = ownValue(input, 'tokensUsed');
  const cost = ownValue(input, 'costUsd');
  const latency = ownValue(input, 'latencyMs');
  const timestamp = ownValue(input, 'timestamp');
  const givenId = ownValue(input, 'id');
  const outcome: Outcome = {
    id: checkId(givenId),
    taskType: checkName(ownValue(input, 'taskType'), 'taskType', 'MP_INVALID_OUTCOME'),
    modelId: checkName(ownValue(input, 'modelId'), 'modelId', 'MP_INVALID_OUTCOME'),
    success,
    timeout: checkOptionalBoolean(ownValue(input, 'timeout'), 'timeout'),
    tokensUsed: tokens === undefined ? 0 : checkNonNegative(tokens, 'tokensUsed', true),
    costUsd: cost === undefined ? 0 : checkNonNegative(cost, 'costUsd', false),
    latencyMs: latency === undefined ? null : checkNonNegative(latency, 'latencyMs', false),
    timestamp:
      timestamp === undefined ? now().toISOString() : toIsoTimestamp(timestamp, 'timestamp', 'MP_INVALID_OUTCOME'),
  };
  return { outcome, idGenerated: givenId === undefined };
}

/** Validates a batch: every element, so that nothing is written when any one is bad. */
export function normalizeOutcomes(inputs: unknown, now?: () => Date): Outcome[] {
  return normalizeOutcomeBatch(inputs, now).outcomes;
}

/** normalizeOutcomes, telling also whether every id was generated (see normalizeOutcomeInput). */
export function normalizeOutcomeBatch(inputs: unknown, now?: () => Date): { outcomes: Outcome[]; freshIds: boolean } {
  if (!Array.isArray(inputs)) {
    return fail('MP_INVALID_OUTCOME', 'outcomes', `expected an array, got ${inputs === null ? 'null' : typeof inputs}`);
  }
  let freshIds = true;
  const outcomes = inputs.map((input: unknown, index) => {
    try {
      const { outcome, idGenerated } = normalizeOutcomeInput(input, now);
      freshIds &&= idGenerated;
      return outcome;
    } catch (error) {
      if (error instanceof ModelPerfError) {
        throw new ModelPerfError(error.code, `Outcome ${index}: ${error.message}`, {
          field: error.field,
          cause: error,
        });
      }
      throw error;
    }
  });
  return { outcomes, freshIds };
}

export interface NormalizedStatsFilter {
  taskType?: string;
  modelId?: string;
  minSamples: number;
}

function checkQueryObject(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainRecord(value)) return fail('MP_INVALID_QUERY', what, 'expected a plain object');
  return value;
}

function checkKnownKeys(record: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) fail('MP_INVALID_QUERY', key, 'unknown option');
  }
}

function optionalName(record: Record<string, unknown>, key: string): string | undefined {
  const value = ownValue(record, key);
  return value === undefined ? undefined : checkName(value, key, 'MP_INVALID_QUERY');
}

function optionalTime(record: Record<string, unknown>, key: string): string | undefined {
  const value = ownValue(record, key);
  return value === undefined ? undefined : toIsoTimestamp(value, key, 'MP_INVALID_QUERY');
}

function optionalCount(record: Record<string, unknown>, key: string): number | undefined {
  const value = ownValue(record, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return fail('MP_INVALID_QUERY', key, `expected a non-negative whole number, got ${describeValue(value)}`);
  }
  return value;
}

export function normalizeStatsFilter(filter: StatsFilter | undefined): NormalizedStatsFilter {
  const record = checkQueryObject(filter, 'filter');
  checkKnownKeys(record, ['taskType', 'modelId', 'minSamples']);
  const result: NormalizedStatsFilter = { minSamples: optionalCount(record, 'minSamples') ?? 0 };
  const taskType = optionalName(record, 'taskType');
  const modelId = optionalName(record, 'modelId');
  if (taskType !== undefined) result.taskType = taskType;
  if (modelId !== undefined) result.modelId = modelId;
  return result;
}

/** listFederated's filter: only a task type, since priors are read per task for a ranking. */
export function normalizeFederatedFilter(filter: FederatedFilter | undefined): FederatedFilter {
  const record = checkQueryObject(filter, 'filter');
  checkKnownKeys(record, ['taskType']);
  const taskType = optionalName(record, 'taskType');
  return taskType === undefined ? {} : { taskType };
}

export interface NormalizedOutcomeQuery {
  taskType?: string;
  modelId?: string;
  since?: string;
  until?: string;
  limit?: number;
  order: 'asc' | 'desc';
}

export function normalizeOutcomeQuery(query: OutcomeQuery | undefined): NormalizedOutcomeQuery {
  const record = checkQueryObject(query, 'query');
  checkKnownKeys(record, ['taskType', 'modelId', 'since', 'until', 'limit', 'order']);
  const order = ownValue(record, 'order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') return fail('MP_INVALID_QUERY', 'order', "expected 'asc' or 'desc'");
  const result: NormalizedOutcomeQuery = { order };
  const taskType = optionalName(record, 'taskType');
  const modelId = optionalName(record, 'modelId');
  const since = optionalTime(record, 'since');
  const until = optionalTime(record, 'until');
  const limit = optionalCount(record, 'limit');
  if (taskType !== undefined) result.taskType = taskType;
  if (modelId !== undefined) result.modelId = modelId;
  if (since !== undefined) result.since = since;
  if (until !== undefined) result.until = until;
  if (limit !== undefined) result.limit = limit;
  return result;
}

export interface NormalizedSummaryQuery {
  groupBy: SummaryGroup;
  taskType?: string;
  modelId?: string;
  models?: string[];
  since?: string;
  until?: string;
}

const SUMMARY_GROUPS: readonly SummaryGroup[] = ['model', 'day', 'day+model'];

export function normalizeSummaryQuery(query: SummaryQuery): NormalizedSummaryQuery {
  const record = checkQueryObject(query, 'query');
  checkKnownKeys(record, ['groupBy', 'taskType', 'modelId', 'models', 'since', 'until']);
  const groupBy = ownValue(record, 'groupBy');
  if (!SUMMARY_GROUPS.includes(groupBy as SummaryGroup)) {
    return fail('MP_INVALID_QUERY', 'groupBy', `expected one of ${SUMMARY_GROUPS.join(', ')}`);
  }
  const result: NormalizedSummaryQuery = { groupBy: groupBy as SummaryGroup };
  const taskType = optionalName(record, 'taskType');
  const modelId = optionalName(record, 'modelId');
  const since = optionalTime(record, 'since');
  const until = optionalTime(record, 'until');
  const models = ownValue(record, 'models');
  if (models !== undefined) {
    if (!Array.isArray(models)) return fail('MP_INVALID_QUERY', 'models', 'expected an array of model ids');
    result.models = [...new Set(models.map((model: unknown) => checkName(model, 'models', 'MP_INVALID_QUERY')))];
  }
  if (taskType !== undefined) result.taskType = taskType;
  if (modelId !== undefined) result.modelId = modelId;
  if (since !== undefined) result.since = since;
  if (until !== undefined) result.until = until;
  return result;
}
