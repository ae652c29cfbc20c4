export type { OutcomeRecorder } from '../outcome-recorder.js';
export type { EndedSpan, SpanOutcomeOptions, SpanUsage } from './span-outcome.js';
export { TASK_TYPE_ATTRIBUTE } from './span-outcome.js';
export { ModelPerfSpanProcessor, type SpanProcessorOptions } from './span-processor.js';
