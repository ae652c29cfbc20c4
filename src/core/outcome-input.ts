import type { Outcome, OutcomeInput } from './types.js';

/** A stored outcome as input again (moving it between stores): an unmeasured latency is left out, not null. */
export function toOutcomeInput({ latencyMs, ...rest }: Outcome): OutcomeInput {
  return latencyMs === null ? rest : { ...rest, latencyMs };
}
