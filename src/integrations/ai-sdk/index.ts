export type { OutcomeRecorder } from '../outcome-recorder.js';
export { type AdaptiveModelOptions, adaptiveModel, type ModelChooser } from './adaptive-model.js';
export type { CallOptions, CandidateModel, FinishReason, ModelUsage, WrappedModel } from './ai-types.js';
export { learningMiddleware } from './learning-middleware.js';
export type { CallResult, LearningOptions } from './learning-options.js';
