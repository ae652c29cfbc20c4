import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelLearner } from '../../src/learner/learner.js';
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

describe('ModelLearner.open', () => {
  const dirs: string[] = [];
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'mp-learner-open-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('opens the store with the store options and gives the learner the policy', async () => {
    const logger = captureLogger();
    const dir = await tempDir();
    const learner = await ModelLearner.open({ dir, backend: 'json', logger, policy: { minSamples: 1 } });
    expect(learner.store.info).toMatchObject({ backend: 'json', dir });
    // minSamples 1 from the policy; the store's logger became the learner's.
    await learner.store.record({ taskType: 't', modelId: 'm', success: true });
    expect(await learner.getRankedModels('t')).toHaveLength(1);
    expect(await learner.recordOutcome('t', 'm', { success: 'no' as never })).toBe(false);
    expect(logger.lines.map((line) => line.level)).toEqual(['warn']);
    await learner.close();
  });

  it('owns the store it opened: close() closes it', async () => {
    const learner = await ModelLearner.open({ dir: await tempDir(), backend: 'json', logger: captureLogger() });
    expect(learner).toBeInstanceOf(ModelLearner);
    await learner.close();
    await expect(learner.store.listStats()).rejects.toMatchObject({ code: 'MP_CLOSED' });
  });

  it('checks the policy before it opens a store', async () => {
    const dir = join(await tempDir(), 'store');
    await expect(ModelLearner.open({ dir, backend: 'json', policy: { confidence: 0 } })).rejects.toMatchObject({
      code: 'MP_CONFIG',
    });
    // Nothing was opened: the store dir was never created.
    await expect(readdir(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
