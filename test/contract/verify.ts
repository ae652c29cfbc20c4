import type { ContractContext } from './context.js';
import { collect, HOSTILE_NAMES, outcomeAt } from './fixtures.js';
import { baseline, legacySource } from './import-fixtures.js';

export function verifyContract(context: ContractContext): void {
  const { describe, it, expect } = context;
  describe('verify', () => {
    it('finds a new store sound, and says what it checked', async () => {
      const { store } = await context.fresh();
      const before = Date.now();
      const report = await store.verify();
      expect(report).toEqual({
        ok: true,
        backend: store.info.backend,
        checkedAt: expect.any(String),
        outcomes: 0,
        pairs: 0,
        baselines: 0,
        mismatches: [],
        integrity: [],
      });
      expect(Date.parse(report.checkedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(report.checkedAt).toBe(new Date(report.checkedAt).toISOString());
    });

    it('finds the store sound after writes of every kind, counting what it recounted', async () => {
      const { store, location } = await context.fresh();
      await store.record(outcomeAt(0, { id: 'a' }));
      await store.record(outcomeAt(1, { id: 'a' }));
      await store.recordMany([
        outcomeAt(2, { id: 'b', success: false, timeout: true }),
        outcomeAt(3, { id: 'c', modelId: 'claude', costUsd: 0.1, latencyMs: 1.5 }),
        outcomeAt(4, { id: 'b' }),
      ]);
      await store.recordMany(
        HOSTILE_NAMES.map((name, index) => outcomeAt(5 + index, { id: `hostile-${index}`, taskType: name })),
      );
      await store.record({ taskType: 'no-latency', modelId: 'm', success: true });
      await store.importBaselines(legacySource('legacy'), [
        baseline('execute-task', 'gpt-4o'),
        baseline('only-baseline', 'old-model'),
      ]);
      const outcomes = 4 + HOSTILE_NAMES.length;
      const expected = { ok: true, outcomes, pairs: 3 + HOSTILE_NAMES.length + 1, baselines: 2 };
      expect(await store.verify()).toMatchObject({ ...expected, mismatches: [], integrity: [] });
      await store.close();
      expect(await (await context.reopen(location)).verify()).toMatchObject(expected);
    });

    it('changes nothing', async () => {
      const { store } = await context.fresh();
      await store.recordMany([outcomeAt(0, { id: 'x' }), outcomeAt(1, { id: 'y', modelId: 'm2' })]);
      const before = { stats: await store.listStats(), outcomes: await collect(store.outcomes()) };
      await store.verify();
      expect({ stats: await store.listStats(), outcomes: await collect(store.outcomes()) }).toEqual(before);
    });

    it('rejects with MP_CLOSED after close', async () => {
      const { store } = await context.fresh();
      await store.record(outcomeAt(0));
      await store.close();
      await expect(store.verify()).rejects.toMatchObject({ name: 'ModelPerfError', code: 'MP_CLOSED' });
    });
  });
}
