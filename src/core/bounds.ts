/**
 * Upper bounds on what one outcome may carry. No real model call comes near them (the largest context
 * windows hold a few million tokens, the dearest calls cost dollars, a call that runs for days has
 * failed long before), yet they keep every sum finite and exact: a billion outcomes at the cost bound
 * still sum far below Number.MAX_VALUE, and 90 million at the token bound stay below 2^53.
 */
export const MAX_COST_USD = 100_000;
export const MAX_LATENCY_MS = 1_000_000_000;
export const MAX_TOKENS_USED = 100_000_000;

/**
 * Bounds on one imported aggregate (a legacy baseline, a federated prior): a trillion samples, and the
 * per-outcome bounds times a billion for the sums, so that a baseline plus any outcomes stays exact.
 */
export const MAX_IMPORTED_COUNT = 1_000_000_000_000;
export const MAX_IMPORTED_TOKENS = 1_000_000_000_000_000;
export const MAX_IMPORTED_COST_USD = 100_000_000_000_000;

/** The limit that applies to each bounded field of an outcome, named in the error message. */
export const OUTCOME_LIMITS = {
  costUsd: { max: MAX_COST_USD, name: 'MAX_COST_USD' },
  latencyMs: { max: MAX_LATENCY_MS, name: 'MAX_LATENCY_MS' },
  tokensUsed: { max: MAX_TOKENS_USED, name: 'MAX_TOKENS_USED' },
} as const;

/** ...and of each bounded field of an imported aggregate. */
export const IMPORTED_LIMITS = {
  successes: { max: MAX_IMPORTED_COUNT, name: 'MAX_IMPORTED_COUNT' },
  failures: { max: MAX_IMPORTED_COUNT, name: 'MAX_IMPORTED_COUNT' },
  timeouts: { max: MAX_IMPORTED_COUNT, name: 'MAX_IMPORTED_COUNT' },
  totalTokens: { max: MAX_IMPORTED_TOKENS, name: 'MAX_IMPORTED_TOKENS' },
  totalCost: { max: MAX_IMPORTED_COST_USD, name: 'MAX_IMPORTED_COST_USD' },
} as const;

/**
 * A name as stored: well-formed Unicode (a lone surrogate cannot be stored as given: SQLite and
 * PostgreSQL would replace it) in NFC, so that 'café' typed as one code point or as 'e' plus a
 * combining accent is one model. undefined when the text holds a lone surrogate.
 */
export function canonicalName(value: string): string | undefined {
  return value.isWellFormed() ? value.normalize('NFC') : undefined;
}
