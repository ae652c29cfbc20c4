import type { Outcome } from '../../core/types.js';
import { hasControlCharacter, MAX_ID_LENGTH, MAX_NAME_LENGTH } from '../../core/validation.js';
import { openLine, sealLine } from './checksum.js';

/**
 * One line of a journal or a segment: a JSON array of outcomes, a tab and its checksum, then '\n'. A
 * write is one line, so a batch lands whole or (torn, without its newline) not at all. JSON escapes
 * control characters, so the only newline in a line is its last byte.
 */
export function encodeOutcomes(outcomes: readonly Outcome[]): string {
  return `${sealLine(JSON.stringify(outcomes.map(storedForm)))}\n`;
}

/** The fields in a fixed order, whatever object the caller passed. */
function storedForm(outcome: Outcome): Outcome {
  return {
    id: outcome.id,
    taskType: outcome.taskType,
    modelId: outcome.modelId,
    success: outcome.success,
    timeout: outcome.timeout,
    tokensUsed: outcome.tokensUsed,
    costUsd: outcome.costUsd,
    latencyMs: outcome.latencyMs,
    timestamp: outcome.timestamp,
  };
}

/**
 * Parses one complete line. Returns undefined when its checksum does not match or it is not a
 * well-formed, non-empty array of stored outcomes: a complete line can only be malformed when the file
 * was damaged.
 */
export function decodeOutcomes(line: string): Outcome[] | undefined {
  const json = openLine(line);
  if (json === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  const outcomes: Outcome[] = [];
  for (const item of parsed as unknown[]) {
    const outcome = toOutcome(item);
    if (outcome === undefined) return undefined;
    outcomes.push(outcome);
  }
  return outcomes;
}

const FIELD_COUNT = 9;

function toOutcome(item: unknown): Outcome | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  // Only own properties count: a parsed "__proto__" key is an own property and stays data.
  const record = item as Record<string, unknown>;
  if (Object.keys(record).length !== FIELD_COUNT) return undefined;
  const id = own(record, 'id');
  const taskType = own(record, 'taskType');
  const modelId = own(record, 'modelId');
  const success = own(record, 'success');
  const timeout = own(record, 'timeout');
  const tokensUsed = own(record, 'tokensUsed');
  const costUsd = own(record, 'costUsd');
  const latencyMs = own(record, 'latencyMs');
  const timestamp = own(record, 'timestamp');
  if (
    !isId(id) ||
    !isName(taskType) ||
    !isName(modelId) ||
    typeof success !== 'boolean' ||
    typeof timeout !== 'boolean' ||
    !(Number.isSafeInteger(tokensUsed) && (tokensUsed as number) >= 0) ||
    !isAmount(costUsd) ||
    !(latencyMs === null || isAmount(latencyMs)) ||
    !isTimestamp(timestamp)
  ) {
    return undefined;
  }
  return { id, taskType, modelId, success, timeout, tokensUsed: tokensUsed as number, costUsd, latencyMs, timestamp };
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH && !hasControlCharacter(value);
}

function isName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_NAME_LENGTH &&
    value.trim().length > 0 &&
    !hasControlCharacter(value)
  );
}

function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * Stored timestamps are exactly what Date#toISOString gives for years 0000-9999
 * (YYYY-MM-DDTHH:mm:ss.sssZ), so they sort as text in time order. Checked digit by digit: a Date
 * round trip per outcome would cost more than parsing the line.
 */
export function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 24) return false;
  for (let index = 0; index < 24; index += 1) {
    const expected = TIMESTAMP_SEPARATORS[index];
    const code = value.charCodeAt(index);
    if (expected === undefined ? code < 0x30 || code > 0x39 : code !== expected) return false;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    digits(value, 11, 2) <= 23 &&
    digits(value, 14, 2) <= 59 &&
    digits(value, 17, 2) <= 59
  );
}

/** The character codes required at each position of a timestamp; undefined where a digit goes. */
const TIMESTAMP_SEPARATORS: ReadonlyArray<number | undefined> = [...'0000-00-00T00:00:00.000Z'].map((char) =>
  char === '0' ? undefined : char.charCodeAt(0),
);

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index += 1) value = value * 10 + text.charCodeAt(index) - 0x30;
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function own(record: Record<string, unknown>, key: keyof Outcome): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
