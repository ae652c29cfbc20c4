import type { LanguageModelMiddleware, wrapLanguageModel } from 'ai';
import type { Logger } from '../../index.js';
import type { OutcomeRecorder } from '../outcome-recorder.js';

// The AI SDK's model interface is versioned (v3 in `@ai-sdk/provider` 3, v4 in `ai` 7); these names are
// read off what the installed `ai` exports, so model-perf names no version and imports only from `ai`.
type WrapGenerate = NonNullable<LanguageModelMiddleware['wrapGenerate']>;
type WrapStream = NonNullable<LanguageModelMiddleware['wrapStream']>;

/** The options of one model call (prompt, abort signal, settings), as the middleware sees them. */
export type CallOptions = Parameters<WrapGenerate>[0]['params'];
export type GenerateResult = Awaited<ReturnType<WrapGenerate>>;
export type StreamResult = Awaited<ReturnType<WrapStream>>;
export type StreamPart = StreamResult['stream'] extends ReadableStream<infer Part> ? Part : never;
/** Token usage as the provider reports it: `inputTokens.total`, `outputTokens.total`, cache details. */
export type ModelUsage = GenerateResult['usage'];
export type FinishReason = GenerateResult['finishReason'];
/** What `wrapLanguageModel` returns: the model type every AI SDK call accepts. */
export type WrappedModel = ReturnType<typeof wrapLanguageModel>;
/** A model `wrapLanguageModel` accepts: any spec version the installed AI SDK supports. */
export type CandidateModel = Parameters<typeof wrapLanguageModel>[0]['model'];

/** What a judge sees of a completed call. */
export interface CallResult {
  /** The model id the outcome is recorded under. */
  modelId: string;
  /** The text parts of the answer, joined. */
  text: string;
  /** Undefined when a stream ended without a finish part. */
  finishReason: FinishReason | undefined;
  usage: ModelUsage | undefined;
  /** Every content part of a generate call (tool calls, files, ...); a stream gives none. */
  content: GenerateResult['content'] | undefined;
  params: CallOptions;
}

export interface LearningOptions {
  /** The task type to record under, or a function of the call options that names it. */
  taskType: string | ((params: CallOptions) => string);
  /**
   * The cost of one call in USD, from its usage. A function, because prices change: model-perf ships no
   * price list. Undefined (or no function) records no cost.
   */
  cost?: (usage: ModelUsage, modelId: string) => number | undefined;
  /** Decides whether a completed call succeeded (default: every call that completes, except 'error' and 'content-filter' finishes). */
  judge?: (result: CallResult) => boolean | Promise<boolean>;
  /** Records under this model id instead of the wrapped model's own `modelId`. */
  modelId?: string;
  /** Where a failing taskType, cost or judge function is reported (default: stderr). */
  logger?: Logger;
}

/** Programmer misuse fails at once, when the middleware is made, not on the first call. */
export function checkLearningOptions(caller: string, learner: unknown, options: LearningOptions): void {
  if (typeof (learner as Partial<OutcomeRecorder> | null)?.recordOutcome !== 'function') {
    throw new TypeError(`${caller}: expected a ModelLearner (an object with recordOutcome) as the first argument`);
  }
  const { taskType, cost, judge, modelId } = options ?? {};
  if (!((typeof taskType === 'string' && taskType.length > 0) || typeof taskType === 'function')) {
    throw new TypeError(`${caller}: taskType must be a non-empty string or a function of the call options`);
  }
  if (cost !== undefined && typeof cost !== 'function') {
    throw new TypeError(`${caller}: cost must be a function (usage, modelId) => USD`);
  }
  if (judge !== undefined && typeof judge !== 'function') {
    throw new TypeError(`${caller}: judge must be a function (result) => boolean`);
  }
  if (modelId !== undefined && (typeof modelId !== 'string' || modelId.length === 0)) {
    throw new TypeError(`${caller}: modelId must be a non-empty string`);
  }
}
