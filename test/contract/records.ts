import type { ContractContext } from './context.js';
import { BAD_INPUTS, collect, HOSTILE_NAMES, outcomeAt } from './fixtures.js';
import { expectRecountMatches } from './recount.js';

/** Writing: field round trip, defaults, batches, ids, bad input, hostile names, concurrency. */
export function recordContract(context: ContractContext): void {
  const { describe, it, expect } = context;
  describe('record', () => {
    it('stores every field and reads it back the same', async () => {
      const { store } = await context.fresh();
      const input = outcomeAt(1, {
        id: 'outcome-1',
        success: false,
        timeout: true,
        tokensUsed: 1234,
        costUsd: 0.0425,
        latencyMs: 1523.5,
      });
      const stored = await store.record(input);
      expect(stored).toEqual({
        id: 'outcome-1',
        taskType: 'execute-task',
        modelId: 'gpt-4o',
        success: false,
        timeout: true,
        tokensUsed: 1234,
        costUsd: 0.0425,
        latencyMs: 1523.5,
        timestamp: '2026-03-01T01:00:00.000Z',
      });
      expect(await collect(store.outcomes())).toEqual([stored]);
      const stats = await store.getStats('execute-task', 'gpt-4o');
      expect(stats).toEqual({
        taskType: 'execute-task',
        modelId: 'gpt-4o',
        successes: 0,
        failures: 1,
        timeouts: 1,
        totalTokens: 1234,
        tokenSamples: 1,
        totalCost: 0.0425,
        costSamples: 1,
        totalLatencyMs: 1523.5,
        latencySamples: 1,
        lastUsed: '2026-03-01T01:00:00.000Z',
        fastSuccesses: 0,
        fastFailures: 1,
        slowSuccesses: 0,
        slowFailures: 1,
        samples: 1,
        successRate: 0,
      });
    });

    it('fills defaults: a new UUID, now; tokens, cost and latency unknown (null)', async () => {
      const { store } = await context.fresh();
      const before = Date.now();
      const stored = await store.record({ taskType: 'plan-slice', modelId: 'claude-opus', success: true });
      const after = Date.now();
      expect(stored.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Date.parse(stored.timestamp)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(stored.timestamp)).toBeLessThanOrEqual(after);
      expect(stored).toMatchObject({ timeout: false, tokensUsed: null, costUsd: null, latencyMs: null });
      const stats = await store.getStats('plan-slice', 'claude-opus');
      expect(stats).toMatchObject({
        successes: 1,
        samples: 1,
        successRate: 1,
        totalTokens: 0,
        tokenSamples: 0,
        totalCost: 0,
        costSamples: 0,
        latencySamples: 0,
        totalLatencyMs: 0,
      });
    });

    it('normalises timestamps to ISO 8601 UTC', async () => {
      const { store } = await context.fresh();
      const fromOffset = await store.record(outcomeAt(0, { timestamp: '2026-03-01T02:30:00+02:00' }));
      const fromDate = await store.record(outcomeAt(0, { timestamp: new Date(Date.UTC(2026, 2, 1, 5)) }));
      expect(fromOffset.timestamp).toBe('2026-03-01T00:30:00.000Z');
      expect(fromDate.timestamp).toBe('2026-03-01T05:00:00.000Z');
    });

    it('returns an unknown pair as undefined', async () => {
      const { store } = await context.fresh();
      await store.record(outcomeAt(0));
      expect(await store.getStats('execute-task', 'nobody')).toBeUndefined();
      expect(await store.getStats('nothing', 'gpt-4o')).toBeUndefined();
    });

    it('counts a repeated id once and returns the stored outcome', async () => {
      const { store } = await context.fresh();
      const first = await store.record(outcomeAt(0, { id: 'same', success: true, tokensUsed: 10 }));
      const again = await store.record(outcomeAt(5, { id: 'same', success: false, tokensUsed: 99, modelId: 'other' }));
      expect(again).toEqual(first);
      const batch = await store.recordMany([
        outcomeAt(1, { id: 'same' }),
        outcomeAt(2, { id: 'fresh', success: false }),
        outcomeAt(3, { id: 'fresh', success: true }),
      ]);
      expect(batch[0]).toEqual(first);
      expect(batch[1]).toMatchObject({ id: 'fresh', success: false });
      expect(batch[2]).toEqual(batch[1]);
      expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({
        successes: 1,
        failures: 1,
        totalTokens: 110,
      });
      expect(await store.getStats('execute-task', 'other')).toBeUndefined();
      expect(await collect(store.outcomes())).toHaveLength(2);
    });

    it('writes a batch all or nothing: one invalid input, nothing written', async () => {
      const { store } = await context.fresh();
      await store.record(outcomeAt(0, { id: 'existing' }));
      const batch = [outcomeAt(1, { id: 'a' }), outcomeAt(2, { id: 'b', tokensUsed: -1 }), outcomeAt(3, { id: 'c' })];
      await expect(store.recordMany(batch)).rejects.toMatchObject({ code: 'MP_INVALID_OUTCOME', field: 'tokensUsed' });
      await expect(store.recordMany(batch)).rejects.toThrow(/Outcome 1/);
      expect((await collect(store.outcomes())).map((outcome) => outcome.id)).toEqual(['existing']);
      expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 1 });
    });

    it('records a batch in input order and an empty batch as nothing', async () => {
      const { store } = await context.fresh();
      expect(await store.recordMany([])).toEqual([]);
      const stored = await store.recordMany([outcomeAt(2, { id: 'x' }), outcomeAt(1, { id: 'y', modelId: 'm2' })]);
      expect(stored.map((outcome) => outcome.id)).toEqual(['x', 'y']);
      expect(await store.listStats()).toHaveLength(2);
    });

    it(`rejects ${BAD_INPUTS.length} kinds of bad input with MP_INVALID_OUTCOME naming the field, writing nothing`, async () => {
      const { store } = await context.fresh();
      for (const { label, input, field } of BAD_INPUTS) {
        const single = store.record(input as never);
        await expect(single, label).rejects.toMatchObject({
          name: 'ModelPerfError',
          code: 'MP_INVALID_OUTCOME',
          field,
        });
        await expect(store.recordMany([outcomeAt(0), input as never]), label).rejects.toMatchObject({
          code: 'MP_INVALID_OUTCOME',
          field,
        });
      }
      await expect(store.recordMany(null as never)).rejects.toMatchObject({ code: 'MP_INVALID_OUTCOME' });
      expect(await collect(store.outcomes())).toEqual([]);
      expect(await store.listStats()).toEqual([]);
    });

    it('stores hostile names and ids verbatim', async () => {
      const { store, location } = await context.fresh();
      for (const [index, name] of HOSTILE_NAMES.entries()) {
        await store.record(outcomeAt(index, { taskType: name, modelId: name, id: name.slice(0, 128) }));
      }
      const check = async (target: typeof store): Promise<void> => {
        const stats = await target.listStats();
        expect(new Set(stats.map((row) => row.taskType))).toEqual(new Set(HOSTILE_NAMES));
        for (const name of HOSTILE_NAMES) {
          expect(await target.getStats(name, name), name).toMatchObject({ taskType: name, modelId: name, samples: 1 });
          const [stored] = await collect(target.outcomes({ taskType: name }));
          expect(stored?.id).toBe(name.slice(0, 128));
        }
      };
      await check(store);
      await store.close();
      await check(await context.reopen(location));
    });

    it('counts 1,000 concurrent record() calls, each once', async () => {
      const { store } = await context.fresh();
      const calls = Array.from({ length: 1000 }, (_, index) =>
        store.record(
          outcomeAt(index % 48, { modelId: `model-${index % 7}`, success: index % 3 !== 0, id: `c-${index}` }),
        ),
      );
      const stored = await Promise.all(calls);
      expect(new Set(stored.map((outcome) => outcome.id)).size).toBe(1000);
      const stats = await store.listStats();
      expect(stats.reduce((sum, row) => sum + row.samples, 0)).toBe(1000);
      expect(stats.reduce((sum, row) => sum + row.successes, 0)).toBe(666);
      await expectRecountMatches(store, expect);
    });
  });
}
