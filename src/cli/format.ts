/** How numbers look in human output; --json prints the raw values instead. */

export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export function formatInterval(lower: number, upper: number): string {
  return `${(lower * 100).toFixed(0)}–${(upper * 100).toFixed(0)}%`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A measure the runtime may leave out (tokens): '–' when it was not given, never a made-up 0. */
export function formatMeasuredCount(value: number | null): string {
  return value === null ? '–' : formatCount(value);
}

export function formatLatency(ms: number | null): string {
  if (ms === null) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** YYYY-MM-DD HH:MM in UTC, the zone every stored timestamp is in. */
export function formatTimestamp(iso: string | null): string {
  return iso === null ? '–' : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}
