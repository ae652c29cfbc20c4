import { generateText, streamText, wrapLanguageModel } from 'ai';
import { describe, expect, it, vi } from 'vitest';
import { learningMiddleware, type ModelUsage } from '../../src/integrations/ai-sdk/index.js';
import { allOutcomes, hangingModel, replyingModel, throwingModel, useLearner } from '../support/ai-mock-models.js';
import { captureLogger } from '../support/capture-logger.js';

const openLearner = useLearner();
/** $2 per million input tokens, $8 per million output tokens. */
const cost = (usage: ModelUsage): number =>
  ((usage.inputTokens.total ?? 0) * 2 + (usage.outputTokens.total ?? 0) * 8) / 1e6;

describe('learningMiddleware', () => {
  it('records generateText and streamText calls as successes with exact tokens, cost and a latency', async () => {
    const learner = await openLearner();
    const model = wrapLanguageModel({
      model: replyingModel('gpt-x', { text: 'hello', inputTokens: 120, outputTokens: 30 }),
      middleware: learningMiddleware(learner, { taskType: 'summarize', cost }),
    });
    const answer = await generateText({ model, prompt: 'hi' });
    const stream = streamText({ model, prompt: 'hi' });
    expect(answer.text).toBe('hello');
    expect(await stream.text).toBe('hello');

    const outcomes = await allOutcomes(learner);
    expect(outcomes).toHaveLength(2);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ taskType: 'summarize', modelId: 'gpt-x', success: true, timeout: false });
      expect(outcome.tokensUsed).toBe(150);
      expect(outcome.costUsd).toBeCloseTo((120 * 2 + 30 * 8) / 1e6, 12);
      expect(outcome.latencyMs).toBeGreaterThan(0);
    }
  });

  it('records a thrown call as a failure and passes the error on unchanged', async () => {
    const learner = await openLearner();
    const error = new Error('provider down');
    const model = wrapLanguageModel({
      model: throwingModel('flaky', error),
      middleware: learningMiddleware(learner, { taskType: 'plan' }),
    });
    await expect(generateText({ model, prompt: 'x', maxRetries: 0 })).rejects.toThrow('provider down');
    const streamErrors: unknown[] = [];
    const stream = streamText({
      model,
      prompt: 'x',
      maxRetries: 0,
      onError: ({ error }) => void streamErrors.push(error),
    });
    await expect(stream.text).rejects.toThrow();
    expect(streamErrors).toEqual([error]);

    const outcomes = await allOutcomes(learner);
    expect(outcomes.map((o) => [o.modelId, o.success, o.timeout])).toEqual([
      ['flaky', false, false],
      ['flaky', false, false],
    ]);
  });

  it("records 'content-filter' and 'error' finishes as failures, whatever the judge says", async () => {
    const learner = await openLearner();
    for (const finish of ['content-filter', 'error'] as const) {
      const model = wrapLanguageModel({
        model: replyingModel(`m-${finish}`, { finish }),
        middleware: learningMiddleware(learner, { taskType: 'review', judge: () => true }),
      });
      await generateText({ model, prompt: 'x' });
    }
    expect((await allOutcomes(learner)).map((o) => o.success)).toEqual([false, false]);
  });

  it('asks the judge; a judge that says no or throws makes the call a failure, and the throw is logged', async () => {
    const learner = await openLearner();
    const logger = captureLogger();
    const judged: string[] = [];
    const judge = ({ text, modelId }: { text: string; modelId: string }): boolean => {
      judged.push(`${modelId}:${text}`);
      if (text === 'boom') throw new Error('judge bug');
      return text.includes('PASS');
    };
    for (const text of ['PASS: ok', 'nope', 'boom']) {
      const model = wrapLanguageModel({
        model: replyingModel('judged', { text }),
        middleware: learningMiddleware(learner, { taskType: 'grade', judge, logger }),
      });
      await generateText({ model, prompt: 'x' });
    }
    const stream = streamText({
      model: wrapLanguageModel({
        model: replyingModel('judged', { text: 'PASS streamed' }),
        middleware: learningMiddleware(learner, { taskType: 'grade', judge, logger }),
      }),
      prompt: 'x',
    });
    await stream.text;

    expect(judged).toEqual(['judged:PASS: ok', 'judged:nope', 'judged:boom', 'judged:PASS streamed']);
    expect((await allOutcomes(learner)).map((o) => o.success)).toEqual([true, false, false, true]);
    expect(logger.lines.map((l) => l.message)).toEqual([expect.stringContaining('judge threw (Error: judge bug)')]);
  });

  it('records an AbortSignal.timeout() abort as a timeout, and a plain abort as a failure only', async () => {
    const learner = await openLearner();
    const model = wrapLanguageModel({
      model: hangingModel('slow'),
      middleware: learningMiddleware(learner, { taskType: 'execute' }),
    });
    await expect(
      generateText({ model, prompt: 'x', maxRetries: 0, abortSignal: AbortSignal.timeout(20) }),
    ).rejects.toThrow();
    const stream = streamText({ model, prompt: 'x', maxRetries: 0, abortSignal: AbortSignal.timeout(20) });
    await expect(stream.text).rejects.toThrow();
    // The SDK rejects on the abort itself; the stream's outcome is recorded as the cut-off stream errors.
    await vi.waitFor(async () => expect(await allOutcomes(learner)).toHaveLength(2));
    const controller = new AbortController();
    const aborted = generateText({ model, prompt: 'x', maxRetries: 0, abortSignal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toThrow();

    const outcomes = await allOutcomes(learner);
    expect(outcomes.map((o) => [o.success, o.timeout])).toEqual([
      [false, true],
      [false, true],
      [false, false],
    ]);
  });

  it('names the task type from the call options when taskType is a function', async () => {
    const learner = await openLearner();
    const model = wrapLanguageModel({
      model: replyingModel('m'),
      middleware: learningMiddleware(learner, {
        taskType: (params) => (params.maxOutputTokens === 50 ? 'short-answer' : 'long-answer'),
      }),
    });
    await generateText({ model, prompt: 'x', maxOutputTokens: 50 });
    await generateText({ model, prompt: 'x' });
    expect((await allOutcomes(learner)).map((o) => o.taskType)).toEqual(['short-answer', 'long-answer']);
  });

  it('never lets a recording problem reach the call: a closed store and a throwing cost function', async () => {
    const learner = await openLearner();
    const logger = captureLogger();
    const model = wrapLanguageModel({
      model: replyingModel('m', { text: 'still answered' }),
      middleware: learningMiddleware(learner, {
        taskType: 'x',
        logger,
        cost: () => {
          throw new Error('no price for m');
        },
      }),
    });
    const first = await generateText({ model, prompt: 'x' });
    expect(first.text).toBe('still answered');
    const [outcome] = await allOutcomes(learner);
    expect(outcome).toMatchObject({ success: true, tokensUsed: 15 });
    expect(logger.lines[0]?.message).toContain('cost function threw');

    await learner.store.close();
    const second = await generateText({ model, prompt: 'x' });
    expect(second.text).toBe('still answered');
  });

  it('rejects misuse when the middleware is made', () => {
    expect(() => learningMiddleware({} as never, { taskType: 'x' })).toThrow(TypeError);
    expect(() => learningMiddleware({ recordOutcome: async () => true }, { taskType: '' })).toThrow(/taskType/);
    expect(() => learningMiddleware({ recordOutcome: async () => true }, { taskType: 'x', cost: 3 as never })).toThrow(
      /cost/,
    );
  });
});
