import type { BaselineEntry } from './baselines.js';
import { ModelPerfError } from './errors.js';
import { IMPORTED_LIMITS } from './options.js';
import { toIsoTimestamp } from './time-input.js';
import { checkName, parseJson } from './validation.js';

export const LEGACY_FILE = 'model-performance.json';

function invalid(file: string, where: string, problem: string): never {
  throw new ModelPerfError('MP_INVALID_IMPORT', `${file} is not a valid legacy stats file: ${where} ${problem}.`, {
    file,
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type ImportedField = keyof typeof IMPORTED_LIMITS;

function checkLimit(value: number, key: ImportedField, file: string, where: string): number {
  const limit = IMPORTED_LIMITS[key];
  if (value > limit.max) invalid(file, where, `"${key}" ${value} is above the limit ${limit.name} = ${limit.max}`);
  return value;
}

function count(
  entry: Record<string, unknown>,
  key: ImportedField,
  required: boolean,
  file: string,
  where: string,
): number {
  const value = Object.hasOwn(entry, key) ? entry[key] : undefined;
  if (value === undefined || value === null) {
    if (required) invalid(file, where, `has no "${key}"`);
    return 0;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    invalid(file, where, `"${key}" must be a non-negative whole number, got ${JSON.stringify(value)}`);
  }
  return checkLimit(value, key, file, where);
}

/** An optional total: null when the file does not give it (unknown, not 0). */
function total(entry: Record<string, unknown>, key: ImportedField, file: string, where: string): number | null {
  const value = Object.hasOwn(entry, key) ? entry[key] : undefined;
  if (value === undefined || value === null) return null;
  const whole = key === 'totalTokens';
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (whole && !Number.isSafeInteger(value))) {
    const expected = whole ? 'a non-negative whole number' : 'a non-negative number';
    invalid(file, where, `"${key}" must be ${expected}, got ${JSON.stringify(value)}`);
  }
  return checkLimit(value, key, file, where);
}

/**
 * Parses the legacy nested format `{ taskType: { modelId: { successes, failures, ... } } }`.
 * Only successes and failures must be present; successRate is never trusted (it is recomputed from
 * them). Keys are read as data (Object.entries), so "__proto__" or "constructor" are ordinary names.
 */
export function parseLegacyStats(text: string, file: string): BaselineEntry[] {
  const parsed = parseJson(
    text,
    (error) =>
      new ModelPerfError('MP_INVALID_IMPORT', `${file} is not valid JSON; it was left as it is.`, {
        file,
        cause: error,
      }),
  );
  if (!isObject(parsed)) invalid(file, 'the top level', 'must be an object of task types');
  const entries: BaselineEntry[] = [];
  for (const [taskKey, models] of Object.entries(parsed)) {
    const taskWhere = `task type ${JSON.stringify(taskKey)}`;
    let taskType = taskKey;
    try {
      taskType = checkName(taskKey, 'taskType', 'MP_INVALID_IMPORT');
    } catch (error) {
      invalid(file, taskWhere, (error as Error).message);
    }
    if (!isObject(models)) invalid(file, taskWhere, 'must be an object of models');
    for (const [modelKey, stats] of Object.entries(models)) {
      const where = `${taskWhere}, model ${JSON.stringify(modelKey)}`;
      let modelId = modelKey;
      try {
        modelId = checkName(modelKey, 'modelId', 'MP_INVALID_IMPORT');
      } catch (error) {
        invalid(file, where, (error as Error).message);
      }
      if (!isObject(stats)) invalid(file, where, 'must be an object of counts');
      const lastUsed = Object.hasOwn(stats, 'lastUsed') ? stats.lastUsed : undefined;
      let lastUsedIso: string | null = null;
      if (lastUsed !== undefined && lastUsed !== null) {
        try {
          lastUsedIso = toIsoTimestamp(lastUsed, 'lastUsed', 'MP_INVALID_IMPORT');
        } catch {
          invalid(file, where, `"lastUsed" is not a date: ${JSON.stringify(lastUsed)}`);
        }
      }
      entries.push({
        taskType,
        modelId,
        successes: count(stats, 'successes', true, file, where),
        failures: count(stats, 'failures', true, file, where),
        timeouts: count(stats, 'timeouts', false, file, where),
        totalTokens: total(stats, 'totalTokens', file, where),
        totalCost: total(stats, 'totalCost', file, where),
        lastUsed: lastUsedIso,
      });
    }
  }
  return entries;
}
