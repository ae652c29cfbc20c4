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
  return decodeLine(line)?.outcomes;
}

export interface DecodedLine {
  outcomes: Outcome[];
  /** Whether the line carried a checksum (lines written before checksums existed do not). */
  sealed: boolean;
}

/** decodeOutcomes, telling also whether the line was sealed. */
export function decodeLine(line: string): DecodedLine | undefined {
  const opened = openLine(line);
  if (opened === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(opened.json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  // A checksum that matches proves the text is what a writer made, and writers only encode outcomes
  // that passed normalizeOutcome (or were decoded from a checked line): the scans of every character
  // of names and timestamps would find nothing, and cost a third of a full read. The shape is still
  // checked, so that a line edited by hand (the checksum is no defence against that) cannot put a
  // wrong type or an inherited key in front of the code that uses it.
  const convert = opened.sealed ? toSealedOutcome : toOutcome;
  const outcomes: Outcome[] = [];
  for (const item of parsed as unknown[]) {
    const outcome = convert(item);
    if (outcome === undefined) return undefined;
    outcomes.push(outcome);
  }
  return { outcomes, sealed: opened.sealed };
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
    id: own(record, 'id'),
    taskType: own(record, 'taskType'),
    modelId: own(record, 'modelId'),
    success: own(record, 'success'),
    timeout: own(record, 'timeout'),
    tokensUsed: own(record, 'tokensUsed'),
    costUsd: own(record, 'costUsd'),
    latencyMs: own(record, 'latencyMs'),
    timestamp: own(record, 'timestamp'),
  };
}

/** Every check: for lines without a checksum, written before checksums existed. */
function toOutcome(item: unknown): Outcome | undefined {
  const fields = fieldsOf(item);
  if (fields === undefined || !hasOutcomeTypes(fields)) return undefined;
  const valid = isId(fields.id) && isName(fields.taskType) && isName(fields.modelId) && isTimestamp(fields.timestamp);
  return valid ? fields : undefined;
}

/** The types and numbers only (cheap): for lines whose checksum matched (see decodeLine). */
function toSealedOutcome(item: unknown): Outcome | undefined {
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
