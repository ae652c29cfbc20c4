import type { Outcome } from '../../core/types.js';
import { isAmount, ownValue } from '../../core/validation.js';
import { openLine, sealLine } from './document-file.js';

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
  // A checksum that matches proves the text is what a writer made, and writers only encode outcomes
  // that passed normalizeOutcome (or were decoded from a checked line): the scans of every character
  // of names and timestamps would find nothing, and cost a third of a full read. The shape is still
  // checked, so that a line edited by hand (the checksum is no defence against that) cannot put a
  // wrong type or an inherited key in front of the code that uses it.
  const outcomes: Outcome[] = [];
  for (const item of parsed as unknown[]) {
    const outcome = toOutcome(item);
    if (outcome === undefined) return undefined;
    outcomes.push(outcome);
  }
  return outcomes;
}

const FIELD_COUNT = 9;
const TIMESTAMP_LENGTH = 24;

type Fields = Record<keyof Outcome, unknown>;

/** The fields of a stored outcome, own properties only: a parsed "__proto__" key is an own property and stays data. */
function fieldsOf(item: unknown): Fields | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const record = item as Record<string, unknown>;
  if (Object.keys(record).length !== FIELD_COUNT) return undefined;
  return {
    id: ownValue(record, 'id'),
    taskType: ownValue(record, 'taskType'),
    modelId: ownValue(record, 'modelId'),
    success: ownValue(record, 'success'),
    timeout: ownValue(record, 'timeout'),
    tokensUsed: ownValue(record, 'tokensUsed'),
    costUsd: ownValue(record, 'costUsd'),
    latencyMs: ownValue(record, 'latencyMs'),
    timestamp: ownValue(record, 'timestamp'),
  };
}

/** The types and numbers only (cheap): the line's checksum matched (see decodeOutcomes). */
function toOutcome(item: unknown): Outcome | undefined {
  const fields = fieldsOf(item);
  if (fields === undefined || !hasOutcomeTypes(fields)) return undefined;
  return fields.timestamp.length === TIMESTAMP_LENGTH ? fields : undefined;
}

/** The type of every field, and the range of the numbers. */
function hasOutcomeTypes(fields: Fields): fields is Outcome {
  const { tokensUsed, latencyMs } = fields;
  return (
    typeof fields.id === 'string' &&
    typeof fields.taskType === 'string' &&
    typeof fields.modelId === 'string' &&
    typeof fields.timestamp === 'string' &&
    typeof fields.success === 'boolean' &&
    typeof fields.timeout === 'boolean' &&
    (tokensUsed === null || (Number.isSafeInteger(tokensUsed) && (tokensUsed as number) >= 0)) &&
    (fields.costUsd === null || isAmount(fields.costUsd)) &&
    (latencyMs === null || isAmount(latencyMs))
  );
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
