import type { LanguageModelMiddleware } from 'ai';
import type { OutcomeRecorder } from '../outcome-recorder.js';
import { CallRecorder, recordedStream } from './call-recorder.js';
import { checkLearningOptions, type GenerateResult, type LearningOptions } from './learning-options.js';

function textOf(content: GenerateResult['content']): string {
  return content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
}

/**
 * AI SDK middleware (for `wrapLanguageModel`) that records one outcome per model call into a learner:
 * success when the call completes (and the judge, if any, agrees); failure when it throws or finishes
 * with 'error' or 'content-filter'; timeout when an `AbortSignal.timeout()` aborted it. Tokens, cost (from
 * your `cost` function) and wall time go with it; a stream is timed until it ends. Recording never throws
 * into the call: the call's own result or error is what the caller gets.
 */
export function learningMiddleware(learner: OutcomeRecorder, options: LearningOptions): LanguageModelMiddleware {
  checkLearningOptions('learningMiddleware', learner, options);
  const recorder = new CallRecorder(learner, options);
  return {
    specificationVersion: 'v4',
    async wrapGenerate({ doGenerate, params, model }) {
      const startedAt = performance.now();
      let result: GenerateResult;
      try {
        result = await doGenerate();
      } catch (error) {
        await recorder.record(params, model.modelId, startedAt, { error });
        throw error;
      }
      const { finishReason, usage, content } = result;
      await recorder.record(params, model.modelId, startedAt, {
        completed: { text: textOf(content), finishReason, usage, content },
      });
      return result;
    },
    async wrapStream({ doStream, params, model }) {
      const startedAt = performance.now();
      try {
        const result = await doStream();
        return {
          ...result,
          stream: recordedStream(result.stream, (end) => recorder.record(params, model.modelId, startedAt, end)),
        };
      } catch (error) {
        await recorder.record(params, model.modelId, startedAt, { error });
        throw error;
      }
    },
  };
}
