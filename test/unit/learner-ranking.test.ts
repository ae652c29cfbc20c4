import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { wilsonInterval } from '../../src/core/statistics/wilson.js';
import { ModelLearner } from '../../src/learner/learner.js';
import { DAY_MS, outcomesOf, STORE_BACKENDS, T0, TestClock, useLearners } from '../support/learner-fixture.js';
import { MemoryStore } from '../support/memory-store.js';

const TASK = 'execute-task';

describe.each(STORE_BACKENDS)('getRankedModels on $name', (backend) => {
  const learners = useLearners(backend);

  it('ranks by the Wilson lower bound, so evidence beats a short perfect record', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'perfect-but-new', 10, 0, T0 - DAY_MS),
      ...outcomesOf(TASK, 'proven', 45, 5, T0 - DAY_MS),
      ...outcomesOf(TASK, 'weak', 5, 5, T0 - DAY_MS),
    ]);
    const ranked = await learner.getRankedModels(TASK);
    expect(ranked.map((row) => row.modelId)).toEqual(['proven', 'perfect-but-new', 'weak']);
    expect(ranked[0]?.score).toBeCloseTo(0.7864, 4);
    expect(ranked[1]?.score).toBeCloseTo(0.7225, 4);
  });

  it("ranks by the raw success rate with strategy 'raw', as the migration guide does", async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'perfect-but-new', 10, 0, T0 - DAY_MS),
      ...outcomesOf(TASK, 'proven', 45, 5, T0 - DAY_MS),
    ]);
    const ranked = await learner.getRankedModels(TASK, { strategy: 'raw' });
    expect(ranked.map((row) => [row.modelId, row.score])).toEqual([
      ['perfect-but-new', 1],
      ['proven', 0.9],
    ]);
  });

  it('fills every field of a row', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'gpt-4o', 3, 0, T0 - DAY_MS, { tokensUsed: 200, costUsd: 0.5, latencyMs: 1000 }),
      { taskType: TASK, modelId: 'gpt-4o', success: false, timeout: true, timestamp: new Date(T0).toISOString() },
    ]);
    const [row] = await learner.getRankedModels(TASK);
    const { lower, upper } = wilsonInterval(3, 4);
    expect(row).toEqual({
      modelId: 'gpt-4o',
      successes: 3,
      failures: 1,
      timeouts: 1,
      samples: 4,
      federatedSamples: 0,
      successRate: 0.75,
      lower,
      upper,
      score: lower,
      totalTokens: 600,
      totalCost: 1.5,
      // The timeout gave no tokens or cost: the averages are over the three outcomes that did.
      avgTokens: 200,
      avgCost: 0.5,
      avgLatencyMs: 1000,
      lastUsed: new Date(T0).toISOString(),
      stale: false,
    });
  });

  it('reports no average latency when no outcome measured one', async () => {
    const { learner, store } = await learners.open();
    const unmeasured = outcomesOf(TASK, 'gpt-4o', 3, 0, T0).map(({ latencyMs: _unmeasured, ...outcome }) => outcome);
    await store.recordMany(unmeasured);
    const [row] = await learner.getRankedModels(TASK);
    expect(row?.avgLatencyMs).toBeNull();
  });

  it('breaks ties by more samples, then lower average cost, then modelId', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'b-cheap', 4, 0, T0, { costUsd: 0.01 }),
      ...outcomesOf(TASK, 'a-dear', 4, 0, T0, { costUsd: 0.02 }),
      ...outcomesOf(TASK, 'c-cheap', 4, 0, T0, { costUsd: 0.01 }),
      ...outcomesOf(TASK, 'z-more-samples', 8, 0, T0, { costUsd: 0.05 }),
    ]);
    const ranked = await learner.getRankedModels(TASK, { strategy: 'raw' });
    expect(ranked.map((row) => row.modelId)).toEqual(['z-more-samples', 'b-cheap', 'c-cheap', 'a-dear']);
  });

  it('leaves out models below minSamples, and only other task types', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'two', 2, 0, T0),
      ...outcomesOf(TASK, 'three', 2, 1, T0),
      ...outcomesOf('plan-slice', 'elsewhere', 9, 0, T0),
    ]);
    expect((await learner.getRankedModels(TASK)).map((row) => row.modelId)).toEqual(['three']);
    expect((await learner.getRankedModels(TASK, { minSamples: 0 })).map((row) => row.modelId)).toEqual([
      'two',
      'three',
    ]);
    expect(await learner.getRankedModels('unknown-task')).toEqual([]);
  });

  it('uses the confidence level for the bounds', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany(outcomesOf(TASK, 'gpt-4o', 5, 5, T0));
    const [row] = await learner.getRankedModels(TASK, { confidence: 0.99 });
    expect(row?.lower).toBeCloseTo(wilsonInterval(5, 10, 0.99).lower, 12);
  });

  it('with windowDays counts only recent outcomes, so a degrading model falls', async () => {
    const { learner, store, clock } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'degraded', 40, 0, T0 - 10 * DAY_MS),
      ...outcomesOf(TASK, 'degraded', 2, 8, T0 - DAY_MS),
      ...outcomesOf(TASK, 'steady', 8, 2, T0 - DAY_MS),
    ]);
    const allTime = await learner.getRankedModels(TASK);
    expect(allTime.map((row) => row.modelId)).toEqual(['degraded', 'steady']);
    const recent = await learner.getRankedModels(TASK, { windowDays: 3 });
    expect(recent.map((row) => [row.modelId, row.successes, row.failures])).toEqual([
      ['steady', 8, 2],
      ['degraded', 2, 8],
    ]);
    expect(recent.map((row) => row.stale)).toEqual([false, false]);
    // The window moves with the clock: a fortnight on, nothing is recent, and each model is ranked on its
    // all-time record, flagged stale, instead of vanishing.
    clock.advanceDays(14);
    const stale = await learner.getRankedModels(TASK, { windowDays: 3 });
    expect(stale.map((row) => [row.modelId, row.successes, row.failures, row.stale])).toEqual([
      ['degraded', 42, 8, true],
      ['steady', 8, 2, true],
    ]);
  });

  it('takes its defaults from the policy', async () => {
    const { learner, store } = await learners.open({ minSamples: 10, strategy: 'raw' });
    await store.recordMany([...outcomesOf(TASK, 'few', 5, 0, T0), ...outcomesOf(TASK, 'enough', 9, 1, T0)]);
    expect((await learner.getRankedModels(TASK)).map((row) => [row.modelId, row.score])).toEqual([['enough', 0.9]]);
  });

  it('rejects bad options with MP_INVALID_QUERY before reading', async () => {
    const { learner } = await learners.open();
    const bad: unknown[] = [
      { strategy: 'best' },
      { confidence: 1 },
      { confidence: 0 },
      { minSamples: -1 },
      { minSamples: 2.5 },
      { windowDays: 0 },
      { windowDays: Number.NaN },
      { windowDays: 1e9 },
      { includeEverything: true },
      'wilson',
      null,
    ];
    for (const options of bad) {
      await expect(learner.getRankedModels(TASK, options as never)).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
    }
    await expect(learner.getRankedModels('')).rejects.toMatchObject({ code: 'MP_INVALID_QUERY', field: 'taskType' });
  });

  it('rejects with MP_CLOSED once the store is closed', async () => {
    const { learner } = await learners.open();
    await learner.close();
    await expect(learner.getRankedModels(TASK)).rejects.toMatchObject({ code: 'MP_CLOSED' });
  });
});

describe('getRankedModels and legacy baselines', () => {
  it('counts baselines all-time, but not in a window (they have no outcomes to date them)', async () => {
    const store = new MemoryStore();
    const baseline = { taskType: TASK, modelId: 'legacy', successes: 90, failures: 10, timeouts: 0, totalTokens: 0 };
    await store.importBaselines({ id: 'legacy-json:test', kind: 'legacy-json' }, [
      { ...baseline, totalCost: 0, lastUsed: null },
    ]);
    const learner = new ModelLearner(store, { now: new TestClock().now, logger: silentLogger });
    await store.recordMany(outcomesOf(TASK, 'legacy', 1, 1, T0));
    const [allTime] = await learner.getRankedModels(TASK);
    expect([allTime?.successes, allTime?.failures]).toEqual([91, 11]);
    const [recent] = await learner.getRankedModels(TASK, { windowDays: 7, minSamples: 1 });
    expect([recent?.successes, recent?.failures]).toEqual([1, 1]);
    await store.close();
  });
});
