export type { OutcomeRecorder } from '../outcome-recorder.js';
export {
  type EndedSpan,
  ModelPerfSpanProcessor,
  type SpanOutcomeOptions,
  type SpanProcessorOptions,
  type SpanUsage,
  TASK_TYPE_ATTRIBUTE,
} from './span-processor.js';
