import { wrapLanguageModel } from 'ai';
import type { OutcomeRecorder } from '../outcome-recorder.js';
import { learningMiddleware } from './learning-middleware.js';
import {
  type CallOptions,
  type CandidateModel,
  checkLearningOptions,
  type LearningOptions,
  type WrappedModel,
} from './learning-options.js';

/** The part of a ModelLearner an adaptive model needs: choose before a call, record after it. */
export interface ModelChooser<ChooseOptions> extends OutcomeRecorder {
  choose(taskType: string, candidates: string[], options?: ChooseOptions): Promise<{ modelId: string }>;
}

export interface AdaptiveModelOptions<ChooseOptions> extends Omit<LearningOptions, 'modelId'> {
  /** The models to choose among, by the model id the learner records them under. */
  candidates: Record<string, CandidateModel>;
  /** Passed to `learner.choose` on every call (minSuccessRate, maxCostUsd, random, ...). */
  chooseOptions?: ChooseOptions;
  /**
   * When the chosen model throws, retry the call once on the learner's choice among the others. Both
   * outcomes are recorded. A stream can only be retried when it fails to start.
   */
  fallback?: boolean;
  /** The id the adaptive model reports as its own `modelId` (default 'model-perf-adaptive'). */
  modelId?: string;
}

/**
 * A language model that asks the learner which candidate to use on every call, delegates the call to it,
 * and records the outcome under the candidate's id, so the next choice learns from this one.
 */
export function adaptiveModel<ChooseOptions>(
  learner: ModelChooser<ChooseOptions>,
  options: AdaptiveModelOptions<ChooseOptions>,
): WrappedModel {
  const { candidates, chooseOptions, fallback = false, modelId = 'model-perf-adaptive', ...learning } = options;
  checkLearningOptions('adaptiveModel', learner, learning);
  if (typeof learner.choose !== 'function') {
    throw new TypeError('adaptiveModel: expected a ModelLearner (an object with choose) as the first argument');
  }
  const ids = Object.keys(candidates ?? {});
  if (ids.length === 0) throw new TypeError('adaptiveModel: candidates must name at least one model');
  const models = new Map(
    ids.map((id) => [
      id,
      wrapLanguageModel({
        model: candidates[id] as CandidateModel,
        middleware: learningMiddleware(learner, { ...learning, modelId: id }),
      }),
    ]),
  );
  const taskTypeOf = (params: CallOptions): string =>
    typeof learning.taskType === 'string' ? learning.taskType : learning.taskType(params);

  const chosen = async (params: CallOptions, among: string[]): Promise<[string, WrappedModel]> => {
    const choice = await learner.choose(taskTypeOf(params), among, chooseOptions);
    const model = models.get(choice.modelId);
    if (model === undefined) {
      throw new TypeError(`adaptiveModel: learner.choose answered '${choice.modelId}', which is not a candidate`);
    }
    return [choice.modelId, model];
  };

  /** Runs the call on the chosen model, and once more on the next choice if it throws and fallback is on. */
  const run = async <Result>(
    params: CallOptions,
    call: (model: WrappedModel) => PromiseLike<Result>,
  ): Promise<Result> => {
    const [firstId, first] = await chosen(params, ids);
    try {
      return await call(first);
    } catch (error) {
      const others = ids.filter((id) => id !== firstId);
      if (!fallback || others.length === 0 || params.abortSignal?.aborted === true) throw error;
      const [, second] = await chosen(params, others);
      return await call(second);
    }
  };

  return {
    specificationVersion: 'v4',
    provider: 'model-perf',
    modelId,
    // No URL is claimed: the AI SDK downloads what a prompt links to, which every candidate accepts.
    supportedUrls: {},
    doGenerate: (params) => run(params, (model) => model.doGenerate(params)),
    doStream: (params) => run(params, (model) => model.doStream(params)),
  };
}
