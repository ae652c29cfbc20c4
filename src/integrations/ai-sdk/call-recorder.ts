import { type Logger, stderrLogger } from '../../index.js';
import { namesTimeout, type OutcomeRecorder } from '../outcome-recorder.js';
import type { CallOptions, CallResult, LearningOptions, ModelUsage, StreamPart } from './learning-options.js';

/** How one call ended: with a result (judged next), or with an error. */
export type CallEnd = { completed: Omit<CallResult, 'modelId' | 'params'> } | { error: unknown };

/** Finish reasons that mean the model did not do the task, whatever the judge would say. */
const FAILED_FINISHES: ReadonlySet<string> = new Set(['error', 'content-filter']);

/** Input plus output tokens; undefined when the provider reported neither, so no zero is made up. */
export function tokensFromUsage(usage: ModelUsage | undefined): number | undefined {
  const input = usage?.inputTokens.total;
  const output = usage?.outputTokens.total;
  if (input === undefined && output === undefined) return undefined;
  return (input ?? 0) + (output ?? 0);
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error || error instanceof DOMException ? error.name : undefined;
}

/**
 * A timeout is a call aborted by `AbortSignal.timeout()` (its reason is a TimeoutError), or one that threw
 * a TimeoutError itself. Any other throw, including a caller's plain abort, is a failure.
 */
export function isTimeout(error: unknown, signal: AbortSignal | undefined): boolean {
  if (namesTimeout(errorName(error))) return true;
  return signal?.aborted === true && namesTimeout(errorName(signal.reason));
}

/**
 * Records the outcome of one model call. It never throws: a failing taskType, cost or judge function is
 * logged and the outcome recorded without what it would have given (or, for taskType, not recorded).
 */
export class CallRecorder {
  readonly #learner: OutcomeRecorder;
  readonly #options: LearningOptions;
  readonly #logger: Logger;

  constructor(learner: OutcomeRecorder, options: LearningOptions) {
    this.#learner = learner;
    this.#options = options;
    this.#logger = options.logger ?? stderrLogger;
  }

  async record(params: CallOptions, wrappedModelId: string, startedAt: number, end: CallEnd): Promise<void> {
    const latencyMs = performance.now() - startedAt;
    const modelId = this.#options.modelId ?? wrappedModelId;
    const taskType = this.#attempt('taskType', () => this.#taskType(params));
    if (taskType === undefined) return;
    if ('error' in end) {
      const timeout = isTimeout(end.error, params.abortSignal);
      await this.#learner.recordOutcome(taskType, modelId, {
        success: false,
        ...(timeout ? { timeout } : {}),
        latencyMs,
      });
      return;
    }
    const { usage, finishReason } = end.completed;
    const success =
      !FAILED_FINISHES.has(finishReason?.unified ?? '') && (await this.#judge({ ...end.completed, modelId, params }));
    const tokensUsed = tokensFromUsage(usage);
    const costUsd = usage === undefined ? undefined : this.#attempt('cost', () => this.#options.cost?.(usage, modelId));
    await this.#learner.recordOutcome(taskType, modelId, {
      success,
      latencyMs,
      ...(tokensUsed === undefined ? {} : { tokensUsed }),
      ...(costUsd === undefined ? {} : { costUsd }),
    });
  }

  #taskType(params: CallOptions): string {
    const { taskType } = this.#options;
    return typeof taskType === 'string' ? taskType : taskType(params);
  }

  /** A judge that throws or rejects has not said yes: the call counts as failed. */
  async #judge(result: CallResult): Promise<boolean> {
    const { judge } = this.#options;
    if (judge === undefined) return true;
    try {
      return (await judge(result)) === true;
    } catch (error) {
      this.#logger.warn(`learningMiddleware: the judge threw (${String(error)}); the call is recorded as failed`);
      return false;
    }
  }

  #attempt<T>(what: string, run: () => T): T | undefined {
    try {
      return run();
    } catch (error) {
      this.#logger.warn(`learningMiddleware: the ${what} function threw (${String(error)})`);
      return undefined;
    }
  }
}

/**
 * Passes a model's stream through unchanged and reports how it ended, once: finished (with the finish
 * part's usage and reason and the text seen), errored, or cancelled by the reader. The end is awaited
 * before the stream closes, so a caller that read to the end finds the outcome recorded; nothing else
 * holds a part back.
 */
export function recordedStream(
  source: ReadableStream<StreamPart>,
  onEnd: (end: CallEnd) => Promise<void>,
): ReadableStream<StreamPart> {
  const reader = source.getReader();
  const texts: string[] = [];
  let finish: Extract<StreamPart, { type: 'finish' }> | undefined;
  let streamError: { error: unknown } | undefined;
  let ended = false;
  const end = async (how: CallEnd): Promise<void> => {
    if (ended) return;
    ended = true;
    await onEnd(how);
  };
  const observe = (part: StreamPart): void => {
    if (part.type === 'text-delta') texts.push(part.delta);
    else if (part.type === 'finish') finish = part;
    else if (part.type === 'error') streamError ??= { error: part.error };
  };
  return new ReadableStream<StreamPart>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        await end({ error });
        controller.error(error);
        return;
      }
      if (next.done) {
        await end(
          streamError ?? {
            completed: {
              text: texts.join(''),
              finishReason: finish?.finishReason,
              usage: finish?.usage,
              content: undefined,
            },
          },
        );
        controller.close();
        return;
      }
      observe(next.value);
      controller.enqueue(next.value);
    },
    async cancel(reason) {
      await reader.cancel(reason);
      await end({ error: reason });
    },
  });
}
