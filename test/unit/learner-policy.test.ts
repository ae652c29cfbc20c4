import { describe, expect, it } from 'vitest';
import { ModelLearner } from '../../src/core/learner/learner.js';
import type { OpenStoreOptions } from '../../src/core/options.js';
import type { PerformanceStore } from '../../src/core/store.js';
import { captureLogger } from '../support/capture-logger.js';
import { MemoryStore } from '../support/memory-store.js';

describe('new ModelLearner', () => {
  it('refuses something that is not a store with a TypeError', () => {
    for (const notAStore of [undefined, null, {}, { record: () => undefined }, 'store']) {
      expect(() => new ModelLearner(notAStore as never)).toThrow(TypeError);
    }
  });

  it('refuses a bad policy with MP_CONFIG naming the field', () => {
    const store = new MemoryStore();
    const bad: Array<[unknown, string]> = [
      [{ minSamples: -1 }, 'minSamples'],
      [{ confidence: 1.5 }, 'confidence'],
      [{ strategy: 'best' }, 'strategy'],
      [{ demotionThreshold: 2 }, 'demotionThreshold'],
      [{ demotionMinSamples: 0.5 }, 'demotionMinSamples'],
      [{ logger: console.log }, 'logger'],
      [{ now: Date.now() }, 'now'],
      [{ windowDays: 7 }, 'windowDays'],
      ['strict', 'options'],
    ];
    for (const [policy, field] of bad) {
      expect(() => new ModelLearner(store, policy as never)).toThrow(
        expect.objectContaining({ code: 'MP_CONFIG', field }),
      );
    }
  });
});

describe('ModelLearner.openWith', () => {
  it('opens the store with the store options and gives the learner the policy', async () => {
    const logger = captureLogger();
    const seen: OpenStoreOptions[] = [];
    const store = new MemoryStore();
    const opener = async (options: OpenStoreOptions): Promise<PerformanceStore> => {
      seen.push(options);
      return store;
    };
    const learner = await ModelLearner.openWith(opener, { dir: '/tmp/x', logger, policy: { minSamples: 1 } });
    expect(seen).toEqual([{ dir: '/tmp/x', logger }]);
    expect(learner.store).toBe(store);
    // minSamples 1 from the policy; the store's logger became the learner's.
    await store.record({ taskType: 't', modelId: 'm', success: true });
    expect(await learner.getRankedModels('t')).toHaveLength(1);
    expect(await learner.recordOutcome('t', 'm', { success: 'no' as never })).toBe(false);
    expect(logger.lines.map((line) => line.level)).toEqual(['warn']);
    await learner.close();
  });

  it('makes an instance of the class it is called on, as the package root binds it', async () => {
    class BoundLearner extends ModelLearner {}
    const learner = await BoundLearner.openWith(async () => new MemoryStore());
    expect(learner).toBeInstanceOf(BoundLearner);
    await learner.close();
  });

  it('checks the policy before it opens a store', async () => {
    let opened = 0;
    const opener = async (): Promise<PerformanceStore> => {
      opened += 1;
      return new MemoryStore();
    };
    await expect(ModelLearner.openWith(opener, { policy: { confidence: 0 } })).rejects.toMatchObject({
      code: 'MP_CONFIG',
    });
    expect(opened).toBe(0);
  });
});
