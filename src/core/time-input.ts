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
