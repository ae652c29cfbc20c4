import { describe, expect, it } from 'vitest';
import { DAY_MS, outcomesOf, STORE_BACKENDS, T0, useLearners } from '../support/learner-fixture.js';

const TASK = 'execute-task';
const TRIAL_START = new Date(T0 - 7 * DAY_MS);

describe.each(STORE_BACKENDS)('compare on $name', (backend) => {
  const learners = useLearners(backend);

  it('reports each model over the period and the significance of the lead', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'challenger', 45, 55, T0 - DAY_MS, { tokensUsed: 300, costUsd: 0.03, latencyMs: 900 }),
      ...outcomesOf(TASK, 'incumbent', 30, 70, T0 - DAY_MS, { tokensUsed: 100, costUsd: 0.01, latencyMs: 300 }),
      ...outcomesOf(TASK, 'incumbent', 50, 0, T0 - 30 * DAY_MS),
    ]);
    const report = await learner.compare(TASK, { since: TRIAL_START });
    expect(report.since).toBe(TRIAL_START.toISOString());
    expect(report.until).toBeNull();
    expect(report.models).toEqual([
      {
        modelId: 'challenger',
        trials: 100,
        wins: 45,
        timeouts: 0,
        successRate: 0.45,
        avgTokens: 300,
        avgCost: expect.closeTo(0.03, 12),
        avgLatencyMs: 900,
      },
      {
        modelId: 'incumbent',
        trials: 100,
        wins: 30,
        timeouts: 0,
        successRate: 0.3,
        avgTokens: 100,
        avgCost: expect.closeTo(0.01, 12),
        avgLatencyMs: 300,
      },
    ]);
    // z and p as computed by hand in the two-proportion test; P(Beta(46, 56) > Beta(31, 71)) by mpmath.
    expect(report.significance).toEqual({
      leader: 'challenger',
      runnerUp: 'incumbent',
      z: expect.closeTo(2.19089023002066, 10),
      pValue: expect.closeTo(0.0284597369163106, 10),
      probabilityLeaderBetter: expect.closeTo(0.985476491996166, 9),
    });
  });

  it('honours until and the models filter', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'a', 5, 5, T0 - 3 * DAY_MS),
      ...outcomesOf(TASK, 'a', 10, 0, T0 - DAY_MS),
      ...outcomesOf(TASK, 'b', 2, 8, T0 - 3 * DAY_MS),
      ...outcomesOf(TASK, 'c', 9, 1, T0 - 3 * DAY_MS),
    ]);
    const report = await learner.compare(TASK, {
      since: TRIAL_START,
      until: new Date(T0 - 2 * DAY_MS).toISOString(),
      models: ['a', 'b'],
    });
    expect(report.models.map((row) => [row.modelId, row.wins, row.trials])).toEqual([
      ['a', 5, 10],
      ['b', 2, 10],
    ]);
    expect(report.until).toBe(new Date(T0 - 2 * DAY_MS).toISOString());
  });

  it('has no significance with a single model, and no rows without trials', async () => {
    const { learner, store } = await learners.open();
    expect(await learner.compare(TASK, { since: TRIAL_START })).toMatchObject({ models: [], significance: null });
    await store.recordMany(outcomesOf(TASK, 'alone', 3, 1, T0));
    const report = await learner.compare(TASK, { since: TRIAL_START });
    expect(report.models).toHaveLength(1);
    expect(report.significance).toBeNull();
  });

  it('requires since and rejects bad options with MP_INVALID_QUERY', async () => {
    const { learner } = await learners.open();
    const bad: unknown[] = [
      undefined,
      {},
      { since: 'yesterday-ish' },
      { since: TRIAL_START, models: 'a' },
      { since: TRIAL_START, models: [''] },
      { since: TRIAL_START, extra: true },
    ];
    for (const options of bad) {
      await expect(learner.compare(TASK, options as never)).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
    }
  });
  it('takes an age such as 7d or 24h as since, as the CLI does, and rejects until before since', async () => {
    const { learner, store } = await learners.open();
    const now = Date.now();
    await store.recordMany([
      { taskType: TASK, modelId: 'recent', success: true, timestamp: new Date(now - 3_600_000) },
      { taskType: TASK, modelId: 'old', success: true, timestamp: new Date(now - 3 * DAY_MS) },
    ]);
    const day = await learner.compare(TASK, { since: '24h' });
    expect(day.models.map((model) => model.modelId)).toEqual(['recent']);
    expect(Date.parse(day.since)).toBeCloseTo(now - DAY_MS, -4);
    expect((await learner.compare(TASK, { since: '7d' })).models).toHaveLength(2);
    await expect(learner.compare(TASK, { since: '2026-11-20', until: '2026-11-10' })).rejects.toMatchObject({
      code: 'MP_INVALID_QUERY',
      field: 'until',
    });
    await expect(store.summarize({ groupBy: 'model', since: '2d', until: '3d' })).rejects.toMatchObject({
      code: 'MP_INVALID_QUERY',
    });
  });
});
