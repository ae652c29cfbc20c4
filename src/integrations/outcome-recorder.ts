import type { OutcomeDetails } from '../index.js';

/** The part of a ModelLearner that records: what the middleware and the span processor need of it. */
export interface OutcomeRecorder {
  recordOutcome(taskType: string, modelId: string, details: OutcomeDetails): Promise<boolean>;
}

/**
 * Whether an error name, an error type or a message names a timeout: `TimeoutError` (what
 * `AbortSignal.timeout()` aborts with), `timeout`, `ETIMEDOUT`, "timed out". The AI SDK middleware and the
 * span processor both classify failures with it, so a timeout means the same thing on either path.
 */
export function namesTimeout(text: string | undefined): boolean {
  return text !== undefined && /time[_\s-]?out|timed[_\s-]?out/i.test(text);
}
