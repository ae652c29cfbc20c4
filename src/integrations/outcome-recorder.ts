import type { OutcomeDetails } from '../index.js';

/** The part of a ModelLearner that records: what the middleware and the span processor need of it. */
export interface OutcomeRecorder {
  recordOutcome(taskType: string, modelId: string, details: OutcomeDetails): Promise<boolean>;
}
