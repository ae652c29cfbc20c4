const RELATIVE = /^(\d+(?:\.\d+)?)([dh])$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000 } as const;

/**
 * A point in time from the command line: an ISO date or time (2026-01-05, 2026-01-05T10:00Z), or an
 * age such as 7d or 12h counted back from now. Undefined when the text is neither.
 */
export function parseTimeInput(text: string, now: Date): string | undefined {
  const relative = RELATIVE.exec(text);
  if (relative !== null) {
    const [, amount, unit] = relative;
    return new Date(now.getTime() - Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]).toISOString();
  }
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
