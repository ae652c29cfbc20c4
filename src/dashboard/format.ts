const costFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumSignificantDigits: 4,
});

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A rate in [0, 1] as a percentage with one decimal: 0.8734 -> "87.3%". */
export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** An axis tick: 0.25 -> "25%". */
export function formatTickPercent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/** Dollars to 4 significant digits, since per-call costs are often fractions of a cent: "$0.01235". */
export function formatCost(usd: number): string {
  return costFormat.format(usd);
}

/** A whole number with thousands separators: "12,345". */
export function formatCount(count: number): string {
  return countFormat.format(count);
}

/** "12 samples", "1 sample". */
export function formatSamples(samples: number): string {
  return `${formatCount(samples)} ${samples === 1 ? 'sample' : 'samples'}`;
}

/** A UTC day YYYY-MM-DD as a short axis label: "Mar 5". */
export function formatDay(day: string): string {
  return new Date(`${day}T00:00:00.000Z`).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** An instant as "2026-03-15 12:00 UTC": unambiguous whatever the reader's time zone. */
export function formatTimestamp(time: Date): string {
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
