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
      best: null,
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
      best: null,
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

  it('demotes a model clearly worse than the best, above the absolute threshold', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([...outcomesOf(TASK, 'best', 90, 10, T0), ...outcomesOf(TASK, 'dropped', 33, 27, T0)]);
    const decision = await learner.shouldDemote(TASK, 'dropped');
    const best = wilsonInterval(90, 100);
    expect(decision.upper).toBeGreaterThan(0.5);
    expect(decision.upper).toBeLessThan(best.lower);
    expect(decision.demote).toBe(true);
    expect(decision.best).toEqual({ modelId: 'best', samples: 100, lower: best.lower });
    expect(decision.reason).toBe(
      `dropped succeeded in 33 of 60 on execute-task (55.0%); its 95% upper bound ${decision.upper.toFixed(3)} is below best's lower bound ${best.lower.toFixed(3)} over 100 samples: demote.`,
    );
    // The best model itself is never demoted relative to a worse one, and relative: false keeps the old rule.
    expect((await learner.shouldDemote(TASK, 'best')).demote).toBe(false);
    expect((await learner.shouldDemote(TASK, 'dropped', { relative: false })).demote).toBe(false);
  });

  it('does not demote relative to a best model with too few samples, nor on overlapping intervals', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'lucky', 4, 0, T0),
      ...outcomesOf(TASK, 'steady', 40, 10, T0),
      ...outcomesOf(TASK, 'close', 36, 14, T0),
    ]);
    const steady = await learner.shouldDemote(TASK, 'steady');
    expect(steady.demote).toBe(false);
    expect(steady.best?.modelId).toBe('close');
    const close = await learner.shouldDemote(TASK, 'close');
    expect(close.demote).toBe(false);
    expect(close.reason).toContain("nor below steady's lower bound");
  });

  it('with windowDays judges a model without recent outcomes on its all-time record, and says so', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'idle', 2, 18, T0 - 30 * DAY_MS),
      ...outcomesOf(TASK, 'busy', 9, 1, T0 - DAY_MS),
    ]);
    const idle = await learner.shouldDemote(TASK, 'idle', { windowDays: 7 });
    expect(idle.samples).toBe(20);
    expect(idle.demote).toBe(true);
    expect(idle.reason).toContain('(no recent outcomes: all time)');
  });

  it('rejects bad options with MP_INVALID_QUERY', async () => {
    const { learner } = await learners.open();
    for (const options of [
      { threshold: 1.5 },
      { threshold: -0.1 },
      { minSamples: -2 },
      { confidence: 2 },
      { relative: 'yes' },
      { x: 1 },
    ]) {
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
