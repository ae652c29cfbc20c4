import type { PerformanceStore } from '../../src/core/store.js';
import type { OutcomeInput } from '../../src/core/types.js';
import type { ContractContext } from './context.js';
import { collect, outcomeAt } from './fixtures.js';
import { expectRecountMatches } from './recount.js';

/**
 * Three days of outcomes for two task types and three models, with known totals:
 * day 1 (2026-03-01): gpt-4o 2/3, claude 1/1; day 2: gpt-4o 1/1, claude 0/2 (1 timeout);
 * day 3: gemini 1/1 on plan-slice, gpt-4o 1/2 on execute-task.
 */
async function seed(store: PerformanceStore): Promise<void> {
  await store.recordMany([
    outcomeAt(1, { id: 'd1-a', modelId: 'gpt-4o', success: true, tokensUsed: 100, costUsd: 0.1, latencyMs: 100 }),
    outcomeAt(2, { id: 'd1-b', modelId: 'gpt-4o', success: false, tokensUsed: 200, costUsd: 0.2, latencyMs: 300 }),
    outcomeAt(3, { id: 'd1-c', modelId: 'gpt-4o', success: true, tokensUsed: 300, costUsd: 0.3 }),
    outcomeAt(3, { id: 'd1-d', modelId: 'claude', success: true, tokensUsed: 50, costUsd: 0.5, latencyMs: 50 }),
    outcomeAt(25, { id: 'd2-a', modelId: 'gpt-4o', success: true, tokensUsed: 10, costUsd: 0.01, latencyMs: 10 }),
    withoutLatency(
      outcomeAt(26, { id: 'd2-b', modelId: 'claude', success: false, timeout: true, tokensUsed: 0, costUsd: 0 }),
    ),
    outcomeAt(27, { id: 'd2-c', modelId: 'claude', success: false, tokensUsed: 70, costUsd: 0.7, latencyMs: 70 }),
    outcomeAt(49, {
      id: 'd3-a',
      taskType: 'plan-slice',
      modelId: 'gemini',
      success: true,
      tokensUsed: 5,
      costUsd: 0.05,
    }),
    outcomeAt(50, { id: 'd3-b', modelId: 'gpt-4o', success: true, tokensUsed: 1, costUsd: 0.001 }),
    outcomeAt(50, { id: 'd3-c', modelId: 'gpt-4o', success: false, tokensUsed: 2, costUsd: 0.002 }),
  ]);
}

/** The outcome as a runtime that did not measure latency would send it. */
function withoutLatency(outcome: OutcomeInput): OutcomeInput {
  const { latencyMs: _unmeasured, ...rest } = outcome;
  return rest;
}

const ids = async (iterable: AsyncIterable<{ id: string }>): Promise<string[]> =>
  (await collect(iterable)).map((outcome) => outcome.id);

export function queryContract(context: ContractContext): void {
  const { describe, it, expect } = context;
  describe('listStats', () => {
    it('lists every pair sorted by task type, then model, and filters', async () => {
      const { store } = await context.fresh();
      await seed(store);
      const all = await store.listStats();
      expect(all.map((row) => [row.taskType, row.modelId])).toEqual([
        ['execute-task', 'claude'],
        ['execute-task', 'gpt-4o'],
        ['plan-slice', 'gemini'],
      ]);
      expect(all[1]).toMatchObject({ successes: 4, failures: 2, samples: 6, timeouts: 0, totalTokens: 613 });
      expect(all[1]?.successRate).toBeCloseTo(4 / 6, 12);
      expect(all[0]).toMatchObject({ successes: 1, failures: 2, timeouts: 1, latencySamples: 2, totalLatencyMs: 120 });
      expect(all[0]?.lastUsed).toBe('2026-03-02T03:00:00.000Z');
      expect((await store.listStats({ taskType: 'plan-slice' })).map((row) => row.modelId)).toEqual(['gemini']);
      expect((await store.listStats({ modelId: 'claude' })).map((row) => row.taskType)).toEqual(['execute-task']);
      expect((await store.listStats({ minSamples: 3 })).map((row) => row.modelId)).toEqual(['claude', 'gpt-4o']);
      expect(await store.listStats({ minSamples: 7 })).toEqual([]);
      expect(await store.listStats({ taskType: 'unknown' })).toEqual([]);
    });

    it('rejects a bad filter with MP_INVALID_QUERY', async () => {
      const { store } = await context.fresh();
      await expect(store.listStats({ minSamples: -1 })).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
      await expect(store.listStats({ taskType: '' })).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
      await expect(store.listStats({ tasktype: 'x' } as never)).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
      await expect(store.getStats('', 'm')).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
    });

    it('keeps aggregates equal to a recount of the raw outcomes', async () => {
      const { store } = await context.fresh();
      await seed(store);
      await store.record(outcomeAt(60, { id: 'd1-a', success: false }));
      await expectRecountMatches(store, expect);
    });
  });

  describe('outcomes', () => {
    it('streams in timestamp order, then id, and reverses with order desc', async () => {
      const { store } = await context.fresh();
      await seed(store);
      const ascending = await ids(store.outcomes());
      expect(ascending).toEqual(['d1-a', 'd1-b', 'd1-c', 'd1-d', 'd2-a', 'd2-b', 'd2-c', 'd3-a', 'd3-b', 'd3-c']);
      expect(await ids(store.outcomes({ order: 'desc' }))).toEqual([...ascending].reverse());
    });

    it('filters by task, model, since (inclusive) and until (exclusive), and limits', async () => {
      const { store } = await context.fresh();
      await seed(store);
      expect(await ids(store.outcomes({ taskType: 'plan-slice' }))).toEqual(['d3-a']);
      expect(await ids(store.outcomes({ modelId: 'claude' }))).toEqual(['d1-d', 'd2-b', 'd2-c']);
      const since = '2026-03-02T01:00:00.000Z';
      const until = new Date('2026-03-03T01:00:00.000Z');
      expect(await ids(store.outcomes({ since, until }))).toEqual(['d2-a', 'd2-b', 'd2-c']);
      expect(await ids(store.outcomes({ taskType: 'execute-task', since: '2026-03-03T00:00:00Z' }))).toEqual([
        'd3-b',
        'd3-c',
      ]);
      expect(await ids(store.outcomes({ limit: 2 }))).toEqual(['d1-a', 'd1-b']);
      expect(await ids(store.outcomes({ limit: 2, order: 'desc', modelId: 'gpt-4o' }))).toEqual(['d3-c', 'd3-b']);
      expect(await ids(store.outcomes({ limit: 0 }))).toEqual([]);
    });

    it('rejects a bad query with MP_INVALID_QUERY', async () => {
      const { store } = await context.fresh();
      await expect(collect(store.outcomes({ limit: -1 }))).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
      await expect(collect(store.outcomes({ since: 'not a date' }))).rejects.toMatchObject({
        code: 'MP_INVALID_QUERY',
      });
      await expect(collect(store.outcomes({ order: 'up' } as never))).rejects.toMatchObject({
        code: 'MP_INVALID_QUERY',
      });
    });

    it('streams more outcomes than fit in one page, all of them in order', async () => {
      const { store } = await context.fresh();
      const batch = Array.from({ length: 2500 }, (_, index) =>
        outcomeAt(index % 10, { id: `p-${String(index).padStart(5, '0')}` }),
      );
      await store.recordMany(batch);
      const streamed = await collect(store.outcomes());
      expect(streamed).toHaveLength(2500);
      const expected = batch.map((outcome) => `${String(outcome.timestamp)}|${String(outcome.id)}`).sort();
      expect(streamed.map((outcome) => `${outcome.timestamp}|${outcome.id}`)).toEqual(expected);
    });
  });

  describe('summarize', () => {
    it('groups by model with totals', async () => {
      const { store } = await context.fresh();
      await seed(store);
      const rows = await store.summarize({ groupBy: 'model', taskType: 'execute-task' });
      expect(rows.map((row) => [row.modelId, row.day, row.trials, row.wins, row.timeouts, row.totalTokens])).toEqual([
        ['claude', null, 3, 1, 1, 120],
        ['gpt-4o', null, 6, 4, 0, 613],
      ]);
      expect(rows[0]).toMatchObject({ latencySamples: 2, totalLatencyMs: 120, lastUsed: '2026-03-02T03:00:00.000Z' });
      expect(rows[1]?.totalCost).toBeCloseTo(0.613, 12);
    });

    it('groups by UTC day and by day and model, within since and until', async () => {
      const { store } = await context.fresh();
      await seed(store);
      const byDay = await store.summarize({ groupBy: 'day', taskType: 'execute-task' });
      expect(byDay.map((row) => [row.day, row.modelId, row.trials, row.wins])).toEqual([
        ['2026-03-01', null, 4, 3],
        ['2026-03-02', null, 3, 1],
        ['2026-03-03', null, 2, 1],
      ]);
      const window = await store.summarize({
        groupBy: 'day+model',
        since: '2026-03-01T03:00:00.000Z',
        until: '2026-03-03T03:00:00.000Z',
      });
      expect(window.map((row) => [row.day, row.modelId, row.trials, row.wins])).toEqual([
        ['2026-03-01', 'claude', 1, 1],
        ['2026-03-01', 'gpt-4o', 1, 1],
        ['2026-03-02', 'claude', 2, 0],
        ['2026-03-02', 'gpt-4o', 1, 1],
        ['2026-03-03', 'gemini', 1, 1],
        ['2026-03-03', 'gpt-4o', 2, 1],
      ]);
    });

    it('filters by model and by a list of models', async () => {
      const { store } = await context.fresh();
      await seed(store);
      const one = await store.summarize({ groupBy: 'model', modelId: 'claude' });
      expect(one.map((row) => [row.modelId, row.trials])).toEqual([['claude', 3]]);
      const listed = await store.summarize({ groupBy: 'model', models: ['gemini', 'claude', 'absent'] });
      expect(listed.map((row) => [row.modelId, row.trials])).toEqual([
        ['claude', 3],
        ['gemini', 1],
      ]);
      expect(await store.summarize({ groupBy: 'model', models: [] })).toEqual([]);
    });

    it('rejects a bad summary query with MP_INVALID_QUERY', async () => {
      const { store } = await context.fresh();
      await expect(store.summarize({ groupBy: 'week' } as never)).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
      await expect(store.summarize({ groupBy: 'model', models: 'gpt-4o' } as never)).rejects.toMatchObject({
        code: 'MP_INVALID_QUERY',
      });
      await expect(store.summarize(null as never)).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
    });
  });
}
