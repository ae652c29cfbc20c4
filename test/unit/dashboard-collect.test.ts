import { describe, expect, it } from 'vitest';
import { collectDashboardData } from '../../src/dashboard/index.js';
import { DAY_MS, outcomesOf, STORE_BACKENDS, T0, useLearners } from '../support/learner-fixture.js';

const EXECUTE = 'execute-task';
const PLAN = 'plan-slice';
// T0 is 2026-03-15T12:00Z: "today" is the 15th.

describe.each(STORE_BACKENDS)('collectDashboardData on $name', (backend) => {
  const learners = useLearners(backend);

  async function seeded() {
    const setup = await learners.open();
    await setup.store.recordMany([
      ...outcomesOf(EXECUTE, 'steady', 8, 2, T0, { costUsd: 0.02 }),
      ...outcomesOf(EXECUTE, 'weak', 1, 9, T0 - 2 * DAY_MS, { costUsd: 0.001 }),
      ...outcomesOf(EXECUTE, 'newcomer', 2, 0, T0 - 5 * DAY_MS),
      ...outcomesOf(PLAN, 'steady', 3, 0, T0),
    ]);
    return setup;
  }

  it('has one entry per task type of the store, in its order', async () => {
    const { learner } = await seeded();
    const data = await collectDashboardData(learner);
    expect(data.tasks.map((task) => task.taskType)).toEqual([EXECUTE, PLAN]);
    expect(data.days).toBe(30);
    expect(data.store).toEqual({ backend: learner.store.info.backend, dir: learner.store.info.dir });
  });

  it("ranks every model with a sample in the learner's order, marking those below the default gate", async () => {
    const { learner } = await seeded();
    const [execute] = (await collectDashboardData(learner)).tasks;
    const ranked = await learner.getRankedModels(EXECUTE, { minSamples: 1 });
    const choice = await learner.choose(
      EXECUTE,
      ranked.map((model) => model.modelId),
    );
    const pBest = new Map(choice.ranking.map((row) => [row.modelId, row.pBest]));
    expect(execute?.ranking).toEqual(
      ranked.map((model, index) => ({
        rank: index + 1,
        modelId: model.modelId,
        samples: model.samples,
        successRate: model.successRate,
        lower: model.lower,
        upper: model.upper,
        meetsGate: model.modelId !== 'newcomer',
        // Every outcome is within the last 7 days; none has a history to fall from.
        recent: { samples: model.samples, successes: model.successes },
        drift: null,
        pBest: pBest.get(model.modelId),
      })),
    );
    // P(best) is the learner's, over the task's models: it sums to 1, and 1 of 10 is not a contender.
    const total = execute?.ranking.reduce((sum, row) => sum + row.pBest, 0) ?? 0;
    expect(total).toBeCloseTo(1, 9);
    expect(pBest.get('weak')).toBeLessThan(0.01);
  });

  it('gives the rolling 7-day rate per day, fed by days before the window, and flags a model that fell', async () => {
    const { learner } = await learners.open();
    // Every day of the last 40 a call: 10 days ago the model went from always succeeding to always failing.
    const outcomes = Array.from({ length: 40 }, (_, daysAgo) =>
      outcomesOf(EXECUTE, 'fading', daysAgo >= 10 ? 1 : 0, daysAgo >= 10 ? 0 : 1, T0 - daysAgo * DAY_MS),
    ).flat();
    await learner.store.recordMany(outcomes);
    const data = await collectDashboardData(learner, { days: 14 });
    expect(data.recentDays).toBe(7);
    const [series] = data.tasks[0]?.trend.series ?? [];
    // 14 days shown; the first already has a full 7-day window behind it (its 6 days before are read too).
    expect(series?.rollingAttempts).toEqual(Array(14).fill(7));
    expect(series?.rollingRates.slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(series?.rollingRates[4]).toBeCloseTo(6 / 7, 10);
    expect(series?.rollingRates.slice(-4)).toEqual(Array(4).fill(0));
    const [row] = data.tasks[0]?.ranking ?? [];
    expect(row?.recent).toEqual({ samples: 7, successes: 0 });
    expect(row?.drift).toMatchObject({
      since: '2026-03-06',
      recentRate: 0,
      recentSamples: 10,
      earlierRate: 1,
      earlierSamples: 30,
    });
  });

  it("carries the learner's demotion decisions and A/B pair with their reasons", async () => {
    const { learner } = await seeded();
    const [execute] = (await collectDashboardData(learner)).tasks;
    const weak = await learner.shouldDemote(EXECUTE, 'weak');
    expect(weak.demote).toBe(true);
    expect(execute?.demotions.find((flag) => flag.modelId === 'weak')).toEqual({
      modelId: 'weak',
      demote: true,
      reason: weak.reason,
    });
    expect(execute?.demotions.filter((flag) => flag.demote).map((flag) => flag.modelId)).toEqual(['weak']);
    const pair = await learner.getABTestCandidates(EXECUTE);
    expect(execute?.abTest).toEqual({
      incumbent: pair?.incumbent.modelId,
      challenger: pair?.challenger.modelId,
      reason: pair?.reason,
    });
  });

  it('has no A/B pair for a task with a single model', async () => {
    const { learner } = await seeded();
    const plan = (await collectDashboardData(learner)).tasks[1];
    expect(plan?.abTest).toBeNull();
  });

  it('gives each model an aligned daily series, null on days without attempts', async () => {
    const { learner } = await seeded();
    const { trend } = (await collectDashboardData(learner)).tasks[0] ?? {};
    expect(trend?.days).toHaveLength(30);
    expect([trend?.days[0], trend?.days[29]]).toEqual(['2026-02-14', '2026-03-15']);
    expect(trend?.series.map((series) => series.modelId)).toEqual(['newcomer', 'steady', 'weak']);
    const weak = trend?.series[2];
    expect(weak?.successRates[27]).toBe(0.1);
    expect(weak?.attempts[27]).toBe(10);
    expect(weak?.successRates.filter((rate) => rate !== null)).toEqual([0.1]);
    expect(weak?.attempts.reduce((sum, attempts) => sum + attempts, 0)).toBe(10);
  });

  it('honours days and now for the trend window', async () => {
    const { learner } = await seeded();
    const data = await collectDashboardData(learner, { days: 7, now: new Date(T0 - DAY_MS) });
    expect(data.days).toBe(7);
    expect(data.tasks[0]?.trend.days).toEqual([
      '2026-03-08',
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
      '2026-03-14',
    ]);
    // steady's outcomes are on the 15th, after this window.
    expect(data.tasks[0]?.trend.series.map((series) => series.modelId)).toEqual(['newcomer', 'weak']);
  });

  it('gives cost-versus-success points with the average cost per call', async () => {
    const { learner } = await seeded();
    const points = (await collectDashboardData(learner)).tasks[0]?.costPoints ?? [];
    const byModel = Object.fromEntries(points.map((point) => [point.modelId, point]));
    expect(byModel.steady).toEqual({
      modelId: 'steady',
      avgCost: expect.closeTo(0.02, 10),
      successRate: 0.8,
      samples: 10,
    });
    expect(byModel.weak).toMatchObject({ avgCost: expect.closeTo(0.001, 10), successRate: 0.1, samples: 10 });
    expect(byModel.newcomer).toMatchObject({ successRate: 1, samples: 2 });
  });

  it('is plain data that survives a JSON round trip', async () => {
    const { learner } = await seeded();
    const data = await collectDashboardData(learner);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });

  it('keeps its version while the data stays, and changes it when an outcome is recorded', async () => {
    const { learner } = await seeded();
    const before = await collectDashboardData(learner);
    expect((await collectDashboardData(learner)).version).toBe(before.version);
    await learner.recordOutcome(PLAN, 'steady', { success: false });
    expect((await collectDashboardData(learner)).version).not.toBe(before.version);
  });

  it('has no tasks on an empty store', async () => {
    const { learner } = await learners.open();
    const data = await collectDashboardData(learner);
    expect(data.tasks).toEqual([]);
    expect(data.version).toMatch(/^[\w-]{16}$/);
  });

  it('rejects a bad window with MP_INVALID_QUERY, even on an empty store', async () => {
    const { learner } = await seeded();
    await expect(collectDashboardData(learner, { days: 100_000 })).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
    const empty = (await learners.open()).learner;
    for (const days of [0, 1.5, Number.NaN]) {
      await expect(collectDashboardData(empty, { days }), String(days)).rejects.toMatchObject({
        code: 'MP_INVALID_QUERY',
        field: 'days',
      });
    }
  });
});
