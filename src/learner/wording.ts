// The numbers in reasons are rounded for people; the decision fields carry the exact values.

export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export function bound(value: number): string {
  return value.toFixed(3);
}

export function confidenceLevel(confidence: number): string {
  return `${Number((confidence * 100).toPrecision(6))}%`;
}

/** " in the last 7 days" for a windowed query, nothing for an all-time one. */
export function windowScope(windowDays: number | undefined): string {
  if (windowDays === undefined) return '';
  return ` in the last ${windowDays} ${windowDays === 1 ? 'day' : 'days'}`;
}

export function samplesOf(count: number): string {
  return `${count} ${count === 1 ? 'sample' : 'samples'}`;
}
