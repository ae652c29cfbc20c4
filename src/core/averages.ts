/**
 * The average of the values a total sums, or null when there were none: an outcome that did not say
 * its tokens, cost or latency is left out of the average instead of counting as 0.
 */
export function averageOf(total: number, values: number): number | null {
  return values === 0 ? null : total / values;
}
