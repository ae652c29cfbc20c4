import { randomUUID } from 'node:crypto';
import { describeValue, invalidInput, ModelPerfError, type ModelPerfErrorCode } from './errors.js';
import type { FederatedFilter } from './federated.js';
import { OUTCOME_LIMITS } from './options.js';
import { checkTimeRange, toIsoTimestamp, toQueryTime } from './time-input.js';
import type { Outcome, OutcomeInput, OutcomeQuery, StatsFilter, SummaryGroup, SummaryQuery } from './types.js';

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

/** JSON.parse, a failure turned into the caller's error (what bad JSON means depends on the file). */
export function parseJson(text: string, failure: (error: Error) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw failure(error as Error);
  }
}

/** True for a name checkName accepts: stored files are read back with the same rules. */
export function isName(value: unknown): value is string {
  return typeof value === 'string' && isValidName(value);
}

/** A finite number, 0 or more: a cost, a latency, a sum of them. */
export function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** A whole number, 0 or more: a count. */
export function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * A task type or model id: what the store keys on. Well-formed Unicode (SQLite and PostgreSQL would
 * replace a lone surrogate) in NFC, so that 'café' typed as one code point or as 'e' plus a combining
 * accent is one model.
 */
export function checkName(value: unknown, field: string, code: ModelPerfErrorCode): string {
  if (typeof value !== 'string') return invalidInput(code, field, `expected a string, got ${describeValue(value)}`);
  if (!value.isWellFormed())
    return invalidInput(code, field, 'must be well-formed Unicode (it holds a lone surrogate)');
  const name = value.normalize('NFC');
  if (name.length === 0 || name.trim().length === 0) return invalidInput(code, field, 'must not be empty');
  if (name.length > MAX_NAME_LENGTH) {
    return invalidInput(code, field, `${name.length} characters, at most ${MAX_NAME_LENGTH} allowed`);
  }
  if (hasControlCharacter(name)) return invalidInput(code, field, 'must not contain control characters');
  return name;
}

/**
 * Bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069, U+200E/200F, U+061C) reorder how a
 * name is shown; zero-width characters (U+200B-200D, U+2060, U+FEFF) make two names look the same
 * ("gpt-4o" and "gpt-4o\u200b"). Neither has a use in a task type or model id.
 */
const LOOKALIKE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

/**
 * Refuses a new name that would look like another or reorder the text around it. Only new names: a
 * store written before this check may hold such names, and reading them back must keep working.
 */
export function checkLookalikes(value: string, field: string, code: ModelPerfErrorCode): string {
  const found = LOOKALIKE.exec(value);
  if (found !== null) {
    const codePoint = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    return invalidInput(code, field, `must not contain invisible or bidi control characters (found ${codePoint})`);
  }
  return value;
}

/** A name about to be stored for the first time: the rules of any name, and no lookalike characters. */
export function newName(value: unknown, field: string, code: ModelPerfErrorCode): string {
  return checkLookalikes(checkName(value, field, code), field, code);
}

/** Whether a name read back from a store would pass as input: an odd one is shown (escaped), never queried. */
export function isValidName(value: string): boolean {
  try {
    checkName(value, 'name', 'MP_INVALID_QUERY');
    return true;
  } catch {
    return false;
  }
}

function checkOptionalBoolean(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    return invalidInput('MP_INVALID_OUTCOME', field, `expected a boolean, got ${describeValue(value)}`);
  return value;
}

/** A timeout is a failure: `success` may be left out when `timeout` is true, and must not say otherwise. */
function readSuccess(value: unknown, timeout: boolean): boolean {
  if (value === undefined && timeout) return false;
  if (typeof value !== 'boolean') {
    return invalidInput('MP_INVALID_OUTCOME', 'success', `expected a boolean, got ${describeValue(value)}`);
  }
  if (value && timeout) {
    return invalidInput('MP_INVALID_OUTCOME', 'success', 'a timeout is a failure: success must be false (or left out)');
  }
  return value;
}

function checkNonNegative(value: unknown, field: keyof typeof OUTCOME_LIMITS, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return invalidInput('MP_INVALID_OUTCOME', field, `expected a finite number, got ${describeValue(value)}`);
  }
  if (value < 0) return invalidInput('MP_INVALID_OUTCOME', field, `must not be negative, got ${value}`);
  // Before the whole-number check: 2^53 and above are whole numbers too, just past the limit.
  const limit = OUTCOME_LIMITS[field];
  if (value > limit.max) {
    return invalidInput(
      'MP_INVALID_OUTCOME',
      field,
      `${value} is above the per-outcome limit ${limit.name} = ${limit.max}`,
    );
  }
  if (integer && !Number.isInteger(value)) {
    return invalidInput('MP_INVALID_OUTCOME', field, `expected a whole number, got ${value}`);
  }
  return value;
}

function checkId(value: unknown): string {
  if (value === undefined) return randomUUID();
  if (typeof value !== 'string')
    return invalidInput('MP_INVALID_OUTCOME', 'id', `expected a string, got ${describeValue(value)}`);
  if (value.length === 0) return invalidInput('MP_INVALID_OUTCOME', 'id', 'must not be empty');
  if (value.length > MAX_ID_LENGTH) {
    return invalidInput('MP_INVALID_OUTCOME', 'id', `${value.length} characters, at most ${MAX_ID_LENGTH} allowed`);
  }
  if (hasControlCharacter(value))
    return invalidInput('MP_INVALID_OUTCOME', 'id', 'must not contain control characters');
  // Kept as given (an id is opaque, not normalised), but it must be storable as given.
  if (!value.isWellFormed())
    return invalidInput('MP_INVALID_OUTCOME', 'id', 'must be well-formed Unicode (it holds a lone surrogate)');
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
    return invalidInput(
      'MP_INVALID_OUTCOME',
      'outcome',
      `expected a plain object, got ${input === null ? 'null' : typeof input}`,
    );
  }
  for (const key of Object.keys(input)) {
    if (!OUTCOME_FIELDS.has(key)) return invalidInput('MP_INVALID_OUTCOME', key, 'unknown field');
  }
  const timeout = checkOptionalBoolean(ownValue(input, 'timeout'), 'timeout');
  const success = readSuccess(ownValue(input, 'success'), timeout);
  const tokens = ownValue(input, 'tokensUsed');
  const cost = ownValue(input, 'costUsd');
  const latency = ownValue(input, 'latencyMs');
  const timestamp = ownValue(input, 'timestamp');
  const givenId = ownValue(input, 'id');
  const outcome: Outcome = {
    id: checkId(givenId),
    taskType: newName(ownValue(input, 'taskType'), 'taskType', 'MP_INVALID_OUTCOME'),
    modelId: newName(ownValue(input, 'modelId'), 'modelId', 'MP_INVALID_OUTCOME'),
    success,
    timeout,
    tokensUsed: tokens === undefined ? null : checkNonNegative(tokens, 'tokensUsed', true),
    costUsd: cost === undefined ? null : checkNonNegative(cost, 'costUsd', false),
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
    return invalidInput(
      'MP_INVALID_OUTCOME',
      'outcomes',
      `expected an array, got ${inputs === null ? 'null' : typeof inputs}`,
    );
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
  if (!isPlainRecord(value)) return invalidInput('MP_INVALID_QUERY', what, 'expected a plain object');
  return value;
}

function checkKnownKeys(record: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) invalidInput('MP_INVALID_QUERY', key, 'unknown option');
  }
}

function optionalName(record: Record<string, unknown>, key: string): string | undefined {
  const value = ownValue(record, key);
  return value === undefined ? undefined : checkName(value, key, 'MP_INVALID_QUERY');
}

function optionalTime(record: Record<string, unknown>, key: string): string | undefined {
  const value = ownValue(record, key);
  return value === undefined ? undefined : toQueryTime(value, key, 'MP_INVALID_QUERY');
}

function optionalCount(record: Record<string, unknown>, key: string): number | undefined {
  const value = ownValue(record, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return invalidInput('MP_INVALID_QUERY', key, `expected a non-negative whole number, got ${describeValue(value)}`);
  }
  return value;
}

type Filters = Pick<NormalizedSummaryQuery, 'taskType' | 'modelId' | 'since' | 'until'>;

/**
 * The filters a query carries among task, model and time window, checked in this order; absent ones left
 * out. An `until` before `since` is refused.
 */
function readFilters(record: Record<string, unknown>, keys: ReadonlyArray<keyof Filters>): Filters {
  const filters: Filters = {};
  for (const key of keys) {
    const value = key === 'since' || key === 'until' ? optionalTime(record, key) : optionalName(record, key);
    if (value !== undefined) filters[key] = value;
  }
  checkTimeRange(filters.since, filters.until, 'MP_INVALID_QUERY');
  return filters;
}

export function normalizeStatsFilter(filter: StatsFilter | undefined): NormalizedStatsFilter {
  const record = checkQueryObject(filter, 'filter');
  checkKnownKeys(record, ['taskType', 'modelId', 'minSamples']);
  const minSamples = optionalCount(record, 'minSamples') ?? 0;
  return { minSamples, ...readFilters(record, ['taskType', 'modelId']) };
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
  if (order !== 'asc' && order !== 'desc') return invalidInput('MP_INVALID_QUERY', 'order', "expected 'asc' or 'desc'");
  const result: NormalizedOutcomeQuery = { order, ...readFilters(record, ['taskType', 'modelId', 'since', 'until']) };
  const limit = optionalCount(record, 'limit');
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
    return invalidInput('MP_INVALID_QUERY', 'groupBy', `expected one of ${SUMMARY_GROUPS.join(', ')}`);
  }
  const result: NormalizedSummaryQuery = {
    groupBy: groupBy as SummaryGroup,
    ...readFilters(record, ['taskType', 'modelId', 'since', 'until']),
  };
  const models = ownValue(record, 'models');
  if (models !== undefined) {
    if (!Array.isArray(models)) return invalidInput('MP_INVALID_QUERY', 'models', 'expected an array of model ids');
    result.models = [...new Set(models.map((model: unknown) => checkName(model, 'models', 'MP_INVALID_QUERY')))];
  }
  return result;
}

/** A stored outcome as input again (moving it between stores): a value it does not carry is left out, not null. */
export function toOutcomeInput({ tokensUsed, costUsd, latencyMs, ...rest }: Outcome): OutcomeInput {
  const input: OutcomeInput = rest;
  if (tokensUsed !== null) input.tokensUsed = tokensUsed;
  if (costUsd !== null) input.costUsd = costUsd;
  if (latencyMs !== null) input.latencyMs = latencyMs;
  return input;
}
