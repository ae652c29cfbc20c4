/**
 * Recency: per (taskType, modelId), two count-based exponentially decayed success/failure pairs, so that
 * a policy can see drift as a gap between the fast and the slow pair without scanning a time window.
 * They decay per outcome of their own pair (never by wall-clock time, never per dispatch elsewhere),
 * and are updated in the same write that updates the stats row. The decays are those the dispatch
 * policy was tuned with: an effective memory of about 30 outcomes (fast) and 20,000 (slow). The SQL
 * backends inline them into their upsert text from here (String(x) reads back as exactly x).
 */
export const FAST_DECAY = 1 - 1 / 30;
export const SLOW_DECAY = 1 - 1 / 20_000;

export interface RecencyCounters {
  fastSuccesses: number;
  fastFailures: number;
  slowSuccesses: number;
  slowFailures: number;
}

export const RECENCY_FIELDS = ['fastSuccesses', 'fastFailures', 'slowSuccesses', 'slowFailures'] as const;

export function emptyRecency(): RecencyCounters {
  return { fastSuccesses: 0, fastFailures: 0, slowSuccesses: 0, slowFailures: 0 };
}

/**
 * Decays the counters by one step and adds one outcome, in place. The decays are parameters only for
 * the policy's tuning sweep (bench/regret); every store uses the defaults.
 */
export function addToRecency(
  counters: RecencyCounters,
  success: boolean,
  fastDecay = FAST_DECAY,
  slowDecay = SLOW_DECAY,
): void {
  const win = success ? 1 : 0;
  counters.fastSuccesses = counters.fastSuccesses * fastDecay + win;
  counters.fastFailures = counters.fastFailures * fastDecay + (1 - win);
  counters.slowSuccesses = counters.slowSuccesses * slowDecay + win;
  counters.slowFailures = counters.slowFailures * slowDecay + (1 - win);
}

/**
 * Combines two layers of counters in place, as when a local session is summed on top of a snapshot on
 * read: the earlier layer decays once per outcome of the later one, then the later one is added. This
 * is exact when every outcome of `later` came after those of `earlier`.
 */
export function stackRecency(earlier: RecencyCounters, later: RecencyCounters, laterOutcomes: number): void {
  const fast = FAST_DECAY ** laterOutcomes;
  const slow = SLOW_DECAY ** laterOutcomes;
  earlier.fastSuccesses = earlier.fastSuccesses * fast + later.fastSuccesses;
  earlier.fastFailures = earlier.fastFailures * fast + later.fastFailures;
  earlier.slowSuccesses = earlier.slowSuccesses * slow + later.slowSuccesses;
  earlier.slowFailures = earlier.slowFailures * slow + later.slowFailures;
}
