import { describeValue, invalidInput, type ModelPerfErrorCode } from './errors.js';

const AGE = /^(\d+(?:\.\d+)?)([dh])$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000 } as const;

/** An age such as 7d or 24h, as the point in time that long before `now`; undefined for any other text. */
export function parseAge(text: string, now: Date): string | undefined {
  const age = AGE.exec(text.trim());
  if (age === null) return undefined;
  const [, amount, unit] = age;
  const time = now.getTime() - Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return Number.isFinite(time) && Math.abs(time) <= 8.64e15 ? new Date(time).toISOString() : undefined;
}

/**
 * A point in time as the CLI and the library's queries take it: an ISO date or time (2026-01-05,
 * 2026-01-05T10:00Z), or an age such as 7d or 24h counted back from `now`. Undefined when the text is
 * neither. One grammar for both, so that `--since 7d` and `compare(task, { since: '7d' })` agree.
 */
export function parseTimeInput(text: string, now: Date): string | undefined {
  const age = parseAge(text, now);
  if (age !== undefined) return age;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * Parses a Date or date string to ISO 8601 UTC. Years are kept within 0000-9999 so that
 * stored timestamps are fixed-width and sort as strings in time order.
 */
export function toIsoTimestamp(value: unknown, field: string, code: ModelPerfErrorCode): string {
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'string' && value.trim().length > 0) date = new Date(value);
  else return invalidInput(code, field, `expected a Date or a date string, got ${describeValue(value)}`);
  const time = date.getTime();
  if (Number.isNaN(time)) return invalidInput(code, field, `not a valid date: ${describeValue(value)}`);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) return invalidInput(code, field, `year ${year} is outside 0000-9999`);
  return date.toISOString();
}

/** A query's bound: what toIsoTimestamp takes, or an age such as 7d or 24h back from now. */
export function toQueryTime(value: unknown, field: string, code: ModelPerfErrorCode): string {
  const age = typeof value === 'string' ? parseAge(value, new Date()) : undefined;
  return toIsoTimestamp(age ?? value, field, code);
}

/** An `until` before `since` is a mistake (the bounds swapped), not an empty period. */
export function checkTimeRange(since: string | undefined, until: string | undefined, code: ModelPerfErrorCode): void {
  if (since !== undefined && until !== undefined && until < since) {
    invalidInput(code, 'until', `${until} is before since (${since})`);
  }
}
