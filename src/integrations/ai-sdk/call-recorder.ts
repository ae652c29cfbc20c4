import { type Logger, stderrLogger } from '../../core/logger.js';
import type { OutcomeRecorder } from '../outcome-recorder.js';
import { namesTimeout } from '../timeout.js';
import type { CallOptions, ModelUsage } from './ai-types.js';
import type { CallResult, LearningOptions } from './learning-options.js';

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
