import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { OUTCOME_PAGE_SIZE } from '../../src/core/base-store.js';
import { silentLogger } from '../../src/core/logger.js';
import { compareOutcomes, SummaryAccumulator } from '../../src/core/summary.js';
import type { Outcome, OutcomeInput, SummaryGroup } from '../../src/core/types.js';
import { normalizeSummaryQuery } from '../../src/core/validation.js';
import { afterTest, openTempStore, rawConnection } from './sqlite-fixture.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}

/** Many outcomes on only three timestamps, so that pages end in the middle of a run of equal ones. */
function tiedOutcomes(count: number): OutcomeInput[] {
  const times = ['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z'];
  return Array.from({ length: count }, (_, index) => ({
    id: `id-${String((index * 7919) % count).padStart(5, '0')}`,
    taskType: index % 5 === 0 ? 'plan-slice' : 'execute-task',
    modelId: ['gpt-4o', 'claude-opus', 'Zeta', 'gpt-4o'][index % 4] ?? 'gpt-4o',
    success: index % 4 !== 0,
    timeout: index % 4 === 0 && index % 9 === 0,
    tokensUsed: index,
    costUsd: (index % 13) / 10,
    ...(index % 6 === 0 ? {} : { latencyMs: index % 1000 }),
    timestamp: times[index % times.length] ?? '',
  }));
}

describe('SqliteStore reads', () => {
  it('answers a repeated stats read from memory only while nothing changed the database', async () => {
    const store = await openTempStore();
    const other = await openSqliteStore({ dir: store.info.dir, logger: silentLogger });
    afterTest(() => other.close());
    const raw = rawConnection(store.info.dir);
    const samples = async (): Promise<number | undefined> =>
      (await store.listStats({ taskType: 'plan-slice' }))[0]?.samples;
    await store.record({ taskType: 'plan-slice', modelId: 'm', success: true });
    expect(await samples()).toBe(1);
    expect(await samples()).toBe(1);
    // A write of this connection, of another store's connection, and of a connection outside model-perf.
    await store.record({ taskType: 'plan-slice', modelId: 'm', success: true });
    expect(await samples()).toBe(2);
    await other.record({ taskType: 'plan-slice', modelId: 'm', success: false });
    expect(await samples()).toBe(3);
    raw.prepare("UPDATE model_stats SET failures = failures + 10 WHERE task_type = 'plan-slice'").run();
    expect(await samples()).toBe(13);
    expect((await store.getStats('plan-slice', 'm'))?.samples).toBe(13);
  });

  it('lists stats in BINARY order of task, then model, filtered by samples', async () => {
    const store = await openTempStore();
    const names = ['b', 'B', 'a', 'é', 'Ω', '😀', '\uffff'];
    await store.recordMany(
      names.flatMap((name, index) => [
        { taskType: 't', modelId: name, success: true },
        ...(index % 2 === 0 ? [{ taskType: 't', modelId: name, success: false }] : []),
      ]),
    );
    await store.record({ taskType: 'A', modelId: 'z', success: true });
    const listed = await store.listStats();
    expect(listed.map((stats) => `${stats.taskType}/${stats.modelId}`)).toEqual([
      'A/z',
      't/B',
      't/a',
      't/b',
      't/é',
      't/Ω',
      't/\uffff',
      't/😀',
    ]);
    expect((await store.listStats({ taskType: 't', minSamples: 2 })).map((stats) => stats.modelId)).toEqual([
      'a',
      'b',
      'Ω',
      '\uffff',
    ]);
    expect(await store.listStats({ modelId: 'z' })).toMatchObject([{ taskType: 'A', samples: 1 }]);
  });

  it.each(['asc', 'desc'] as const)(
    'streams every row in %s order across page boundaries with tied timestamps',
    async (order) => {
      const store = await openTempStore();
      const written = await store.recordMany(tiedOutcomes(OUTCOME_PAGE_SIZE * 2 + 37));
      const expected = [...written].sort(compareOutcomes);
      if (order === 'desc') expected.reverse();
      expect(await collect(store.outcomes({ order }))).toEqual(expected);
      const task = expected.filter((outcome) => outcome.taskType === 'execute-task');
      expect(await collect(store.outcomes({ order, taskType: 'execute-task' }))).toEqual(task);
      expect(await collect(store.outcomes({ order, taskType: 'execute-task', limit: OUTCOME_PAGE_SIZE + 1 }))).toEqual(
        task.slice(0, OUTCOME_PAGE_SIZE + 1),
      );
    },
  );

  it('filters by model, since (inclusive) and until (exclusive)', async () => {
    const store = await openTempStore();
    const written = await store.recordMany(tiedOutcomes(60));
    const query = { modelId: 'Zeta', since: '2026-03-02T00:00:00.000Z', until: '2026-03-03T00:00:00.000Z' };
    const matches = (outcome: Outcome): boolean =>
      outcome.modelId === 'Zeta' && outcome.timestamp === '2026-03-02T00:00:00.000Z';
    const expected = written.filter(matches).sort(compareOutcomes);
    expect(expected.length).toBeGreaterThan(0);
    expect(await collect(store.outcomes(query))).toEqual(expected);
    expect(await collect(store.outcomes({ ...query, limit: 0 }))).toEqual([]);
  });

  it('rejects with MP_CLOSED when the store closes between two pages', async () => {
    const store = await openTempStore();
    await store.recordMany(tiedOutcomes(OUTCOME_PAGE_SIZE + 1));
    const iterator = store.outcomes()[Symbol.asyncIterator]();
    for (let index = 0; index < OUTCOME_PAGE_SIZE; index += 1) await iterator.next();
    await store.close();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'MP_CLOSED' });
  });

  it.each(['model', 'day', 'day+model'] as const)(
    'summarizes by %s as the in-memory reference does',
    async (groupBy: SummaryGroup) => {
      const store = await openTempStore();
      const written = await store.recordMany(tiedOutcomes(400));
      const queries = [
        { groupBy },
        { groupBy, taskType: 'execute-task', since: '2026-03-02T00:00:00.000Z' },
        { groupBy, models: ['Zeta', 'gpt-4o', 'absent'], until: '2026-03-03T00:00:00.000Z' },
        { groupBy, modelId: 'claude-opus', models: [] },
      ];
      for (const query of queries) {
        const reference = new SummaryAccumulator(normalizeSummaryQuery(query));
        for (const outcome of written) reference.add(outcome);
        const expected = reference.rows();
        const actual = await store.summarize(query);
        expect(actual.map((row) => ({ ...row, totalCost: 0 }))).toEqual(
          expected.map((row) => ({ ...row, totalCost: 0 })),
        );
        actual.forEach((row, index) => {
          expect(row.totalCost).toBeCloseTo(expected[index]?.totalCost ?? Number.NaN, 9);
        });
      }
    },
  );
});
