export type { OutcomeRecorder } from '../outcome-recorder.js';
export { type AdaptiveModelOptions, adaptiveModel, type ModelChooser } from './adaptive-model.js';
export { learningMiddleware } from './learning-middleware.js';
export type {
  CallOptions,
  CallResult,
  CandidateModel,
  FinishReason,
  LearningOptions,
  ModelUsage,
  WrappedModel,
} from './learning-options.js';
