import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/core/statistics/wilson.js';
import { DAY_MS, outcomesOf, STORE_BACKENDS, T0, useLearners } from '../support/learner-fixture.js';

const TASK = 'execute-task';

describe.each(STORE_BACKENDS)('shouldDemote on $name', (backend) => {
  const learners = useLearners(backend);

  it('does not demote a model it has no data on, and says so', async () => {
    const { learner } = await learners.open();
    const decision = await learner.shouldDemote(TASK, 'unknown-model');
    expect(decision).toEqual({
      demote: false,
      reason: 'No data for unknown-model on execute-task: not demoted.',
      samples: 0,
      successRate: 0,
      lower: 0,
      upper: 1,
    });
  });

  it('demotes when even the upper bound is below the threshold', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany(outcomesOf(TASK, 'flaky', 1, 9, T0));
    const decision = await learner.shouldDemote(TASK, 'flaky');
    const { lower, upper } = wilsonInterval(1, 10);
    expect(upper).toBeCloseTo(0.4042, 4);
    expect(decision).toEqual({
      demote: true,
      reason:
        'flaky succeeded in 1 of 10 on execute-task (10.0%); its 95% upper bound 0.404 is below the threshold 0.500: demote.',
      samples: 10,
      successRate: 0.1,
      lower,
      upper,
    });
  });

  it('keeps a model whose interval still reaches the threshold', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany(outcomesOf(TASK, 'unlucky', 3, 7, T0));
    const decision = await learner.shouldDemote(TASK, 'unlucky');
    expect(decision.demote).toBe(false);
    expect(decision.reason).toBe(
      'unlucky succeeded in 3 of 10 on execute-task (30.0%); its 95% upper bound 0.603 is not below the threshold 0.500: keep.',
    );
  });

  it('never demotes on fewer than minSamples samples, however bad', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany(outcomesOf(TASK, 'new', 0, 4, T0));
    const decision = await learner.shouldDemote(TASK, 'new');
    expect(decision.demote).toBe(false);
    expect(decision.reason).toBe(
      'new succeeded in 0 of 4 on execute-task (0.0%); 4 samples is too few to judge, demotion needs 5.',
    );
    expect((await learner.shouldDemote(TASK, 'new', { minSamples: 4 })).demote).toBe(true);
  });

  it('takes threshold and minSamples from the options, then the policy', async () => {
    const { learner, store } = await learners.open({ demotionThreshold: 0.9, demotionMinSamples: 20 });
    await store.recordMany(outcomesOf(TASK, 'decent', 14, 6, T0));
    expect((await learner.shouldDemote(TASK, 'decent')).demote).toBe(true);
    expect((await learner.shouldDemote(TASK, 'decent', { threshold: 0.5 })).demote).toBe(false);
    expect((await learner.shouldDemote(TASK, 'decent', { minSamples: 21 })).demote).toBe(false);
  });

  it('with windowDays judges only recent outcomes', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'degraded', 50, 0, T0 - 20 * DAY_MS),
      ...outcomesOf(TASK, 'degraded', 1, 11, T0 - DAY_MS),
    ]);
    expect((await learner.shouldDemote(TASK, 'degraded')).demote).toBe(false);
    const recent = await learner.shouldDemote(TASK, 'degraded', { windowDays: 7 });
    expect(recent.demote).toBe(true);
    expect(recent.samples).toBe(12);
    expect(recent.reason).toContain('in the last 7 days');
  });

  it('rejects bad options with MP_INVALID_QUERY', async () => {
    const { learner } = await learners.open();
    for (const options of [{ threshold: 1.5 }, { threshold: -0.1 }, { minSamples: -2 }, { confidence: 2 }, { x: 1 }]) {
      await expect(learner.shouldDemote(TASK, 'm', options as never)).rejects.toMatchObject({
        code: 'MP_INVALID_QUERY',
      });
    }
    await expect(learner.shouldDemote(TASK, '  ')).rejects.toMatchObject({
      code: 'MP_INVALID_QUERY',
      field: 'modelId',
    });
  });
});
