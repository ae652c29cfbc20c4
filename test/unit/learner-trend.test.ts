import { describe, expect, it } from 'vitest';
import { DAY_MS, outcomesOf, STORE_BACKENDS, T0, useLearners } from '../support/learner-fixture.js';

const TASK = 'execute-task';
// T0 is 2026-03-15T12:00Z: "today" is the 15th.

describe.each(STORE_BACKENDS)('trend on $name', (backend) => {
  const learners = useLearners(backend);

  it('gives every model a point on every day, with no rate on days without attempts', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'b', 3, 1, T0 - 2 * DAY_MS),
      ...outcomesOf(TASK, 'a', 1, 1, T0),
      // Just before the window (the 12th, 23:59) and just after it (tomorrow, 00:00): not counted.
      ...outcomesOf(TASK, 'a', 9, 0, Date.parse('2026-03-12T23:59:00.000Z')),
      ...outcomesOf(TASK, 'c', 1, 0, Date.parse('2026-03-16T00:00:00.000Z')),
      ...outcomesOf('other-task', 'd', 1, 0, T0),
    ]);
    expect(await learner.trend(TASK, { days: 3 })).toEqual([
      { day: '2026-03-13', modelId: 'a', attempts: 0, wins: 0, successRate: null },
      { day: '2026-03-13', modelId: 'b', attempts: 4, wins: 3, successRate: 0.75 },
      { day: '2026-03-14', modelId: 'a', attempts: 0, wins: 0, successRate: null },
      { day: '2026-03-14', modelId: 'b', attempts: 0, wins: 0, successRate: null },
      { day: '2026-03-15', modelId: 'a', attempts: 2, wins: 1, successRate: 0.5 },
      { day: '2026-03-15', modelId: 'b', attempts: 0, wins: 0, successRate: null },
    ]);
  });

  it('covers 30 days by default, ending today on the clock or at the given now', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany(outcomesOf(TASK, 'a', 1, 0, T0 - 29 * DAY_MS));
    const trend = await learner.trend(TASK);
    expect(trend).toHaveLength(30);
    expect([trend[0]?.day, trend[0]?.attempts, trend[29]?.day]).toEqual(['2026-02-14', 1, '2026-03-15']);
    const earlier = await learner.trend(TASK, { days: 2, now: '2026-02-15T08:00:00.000Z' });
    expect(earlier.map((point) => [point.day, point.attempts])).toEqual([
      ['2026-02-14', 1],
      ['2026-02-15', 0],
    ]);
  });

  it('is empty when the window has no outcomes', async () => {
    const { learner } = await learners.open();
    expect(await learner.trend(TASK, { days: 7 })).toEqual([]);
  });

  it('rejects bad options with MP_INVALID_QUERY', async () => {
    const { learner } = await learners.open();
    for (const options of [{ days: 0 }, { days: 1.5 }, { days: 100_000 }, { now: 'not a date' }, { since: T0 }]) {
      await expect(learner.trend(TASK, options as never)).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
    }
  });
});
