import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { adaptiveModel } from '../../src/integrations/ai-sdk/index.js';
import { allOutcomes, replyingModel, throwingModel, unreliableModel, useLearner } from '../support/ai-mock-models.js';
import { seededRandom } from '../support/seeded-random.js';

const openLearner = useLearner();

describe('adaptiveModel', () => {
  it('sends most of 300 calls to the model that succeeds most, and records every call', async () => {
    const learner = await openLearner();
    const outcomes = seededRandom(7);
    const model = adaptiveModel(learner, {
      taskType: 'execute-task',
      candidates: {
        'weak-0.2': unreliableModel('weak', 0.2, outcomes),
        'strong-0.9': unreliableModel('strong', 0.9, outcomes),
        'middling-0.5': unreliableModel('middling', 0.5, outcomes),
      },
      chooseOptions: { random: seededRandom(11) },
    });
    for (let call = 0; call < 300; call++) {
      await generateText({ model, prompt: `task ${call}`, maxRetries: 0 }).catch(() => undefined);
    }
    const recorded = await allOutcomes(learner);
    expect(recorded).toHaveLength(300);
    const toStrong = recorded.filter((o) => o.modelId === 'strong-0.9').length;
    expect(toStrong).toBeGreaterThan(200);
    expect(new Set(recorded.map((o) => o.taskType))).toEqual(new Set(['execute-task']));
  });

  it('with fallback, retries a thrown call once on the next choice and records both outcomes', async () => {
    const learner = await openLearner();
    const model = adaptiveModel(learner, {
      taskType: 'plan',
      candidates: {
        broken: throwingModel('broken', new Error('down')),
        working: replyingModel('working', { text: 'ok' }),
      },
      // Seeded, so that the broken candidate's trials (a new model gets some) are the same on every run.
      chooseOptions: { random: seededRandom(3) },
      fallback: true,
    });
    for (let call = 0; call < 10; call++) {
      expect((await generateText({ model, prompt: 'x', maxRetries: 0 })).text).toBe('ok');
    }
    const recorded = await allOutcomes(learner);
    const broken = recorded.filter((o) => o.modelId === 'broken');
    const working = recorded.filter((o) => o.modelId === 'working');
    expect(working).toHaveLength(10);
    expect(working.every((o) => o.success)).toBe(true);
    // A new candidate gets trials, so the broken one was chosen, and each try was recorded.
    expect(broken.length).toBeGreaterThanOrEqual(1);
    expect(broken.every((o) => !o.success)).toBe(true);
    expect(recorded).toHaveLength(10 + broken.length);
  });

  it('without fallback, a thrown call rejects and is recorded once; streams are chosen and recorded too', async () => {
    const learner = await openLearner();
    const failing = adaptiveModel(learner, {
      taskType: 'plan',
      candidates: { broken: throwingModel('broken', new Error('down')) },
    });
    await expect(generateText({ model: failing, prompt: 'x', maxRetries: 0 })).rejects.toThrow('down');
    const streaming = adaptiveModel(learner, {
      taskType: 'chat',
      candidates: { solo: replyingModel('solo', { text: 'streamed', inputTokens: 3, outputTokens: 4 }) },
    });
    expect(await streamText({ model: streaming, prompt: 'x' }).text).toBe('streamed');
    const recorded = await allOutcomes(learner);
    expect(recorded.map((o) => [o.taskType, o.modelId, o.success])).toEqual([
      ['plan', 'broken', false],
      ['chat', 'solo', true],
    ]);
    expect(recorded[1]?.tokensUsed).toBe(7);
  });

  it('rejects misuse when the model is made', () => {
    const recorder = { recordOutcome: async () => true, choose: async () => ({ modelId: 'a' }) };
    expect(() => adaptiveModel(recorder, { taskType: 'x', candidates: {} })).toThrow(/at least one/);
    expect(() =>
      adaptiveModel({ recordOutcome: async () => true } as never, {
        taskType: 'x',
        candidates: { a: replyingModel('a') },
      }),
    ).toThrow(/choose/);
  });
});
