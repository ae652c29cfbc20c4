import type { Outcome, OutcomeInput } from './types.js';

/** A stored outcome as input again (moving it between stores): a value it does not carry is left out, not null. */
export function toOutcomeInput({ tokensUsed, costUsd, latencyMs, ...rest }: Outcome): OutcomeInput {
  const input: OutcomeInput = rest;
  if (tokensUsed !== null) input.tokensUsed = tokensUsed;
  if (costUsd !== null) input.costUsd = costUsd;
  if (latencyMs !== null) input.latencyMs = latencyMs;
  return input;
}
