import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertArrayToReadableStream, MockLanguageModelV3 } from 'ai/test';
import { afterEach } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { ModelLearner, type Outcome, openStore } from '../../src/index.js';

type GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;
type StreamPart =
  Awaited<ReturnType<MockLanguageModelV3['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;
export type UnifiedFinish = GenerateResult['finishReason']['unified'];

export function usage(inputTokens: number, outputTokens: number): GenerateResult['usage'] {
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
  };
}

export interface Reply {
  text?: string;
  inputTokens?: number;
  outputTokens?: number;
  finish?: UnifiedFinish;
}

function generated({ text = 'done', inputTokens = 10, outputTokens = 5, finish = 'stop' }: Reply): GenerateResult {
  return {
    content: [{ type: 'text', text }],
    finishReason: { unified: finish, raw: finish },
    usage: usage(inputTokens, outputTokens),
    warnings: [],
  };
}

function streamed({ text = 'done', inputTokens = 10, outputTokens = 5, finish = 'stop' }: Reply): StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't' },
    ...[...text].map((delta): StreamPart => ({ type: 'text-delta', id: 't', delta })),
    { type: 'text-end', id: 't' },
    { type: 'finish', usage: usage(inputTokens, outputTokens), finishReason: { unified: finish, raw: finish } },
  ];
}

/** The AI SDK's own mock model, answering every generate and stream call with `reply`. */
export function replyingModel(modelId: string, reply: Reply = {}): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    modelId,
    doGenerate: async () => generated(reply),
    doStream: async () => ({ stream: convertArrayToReadableStream(streamed(reply)) }),
  });
}

/** A mock model whose every call throws `error`. */
export function throwingModel(modelId: string, error: Error): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    modelId,
    doGenerate: async () => {
      throw error;
    },
    doStream: async () => {
      throw error;
    },
  });
}

/** A mock model that never answers: its calls end only when their abort signal fires. */
export function hangingModel(modelId: string): MockLanguageModelV3 {
  const untilAborted = (signal: AbortSignal | undefined): Promise<never> =>
    new Promise((_, reject) => {
      if (signal?.aborted) reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return new MockLanguageModelV3({
    modelId,
    doGenerate: ({ abortSignal }) => untilAborted(abortSignal),
    doStream: async ({ abortSignal }) => ({
      // One part, then silence until the abort: the stream was started and is cut off mid-way.
      stream: new ReadableStream<StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'text-start', id: 't' });
          if (abortSignal?.aborted) controller.error(abortSignal.reason);
          abortSignal?.addEventListener('abort', () => controller.error(abortSignal.reason), { once: true });
        },
      }),
    }),
  });
}

/** Now, but at least 1 ms after the last answer: outcomes read back in time order are in record order. */
function tickingClock(): () => Date {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last);
  };
}

/** A real learner over a real SQLite store in a temp dir, closed and removed after the test. */
export function useLearner(): () => Promise<ModelLearner> {
  const dirs: string[] = [];
  const learners: ModelLearner[] = [];
  afterEach(async () => {
    await Promise.all(learners.splice(0).map((learner) => learner.store.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'model-perf-ai-'));
    dirs.push(dir);
    const learner = new ModelLearner(await openStore({ dir, backend: 'sqlite', logger: silentLogger }), {
      logger: silentLogger,
      now: tickingClock(),
    });
    learners.push(learner);
    return learner;
  };
}

export async function allOutcomes(learner: ModelLearner): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for await (const outcome of learner.store.outcomes({ order: 'asc' })) outcomes.push(outcome);
  return outcomes;
}

/** A mock model that succeeds with probability `successRate` (drawn from `random`) and throws otherwise. */
export function unreliableModel(modelId: string, successRate: number, random: () => number): MockLanguageModelV3 {
  const succeeds = (): boolean => random() < successRate;
  const reliable = replyingModel(modelId);
  return new MockLanguageModelV3({
    modelId,
    doGenerate: async (options) => {
      if (!succeeds()) throw new Error(`${modelId} failed`);
      return reliable.doGenerate(options);
    },
    doStream: async (options) => {
      if (!succeeds()) throw new Error(`${modelId} failed`);
      return reliable.doStream(options);
    },
  });
}
