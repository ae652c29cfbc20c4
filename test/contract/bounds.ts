import {
  MAX_COST_USD,
  MAX_IMPORTED_COST_USD,
  MAX_IMPORTED_TOKENS,
  MAX_LATENCY_MS,
  MAX_TOKENS_USED,
} from '../../src/core/options.js';
import type { ContractContext } from './context.js';
import { collect, outcomeAt } from './fixtures.js';
import { baseline, legacySource } from './import-fixtures.js';

const CAFE_NFC = 'caf\u00e9';
const CAFE_NFD = 'cafe\u0301';

/** Values no real call reaches, names that are not well-formed or not in NFC: rejected, or stored within bounds. */
export function boundsContract(context: ContractContext): void {
  const { describe, it, expect } = context;
  describe('input bounds', () => {
    it('stores outcomes at every per-outcome limit with finite sums and a clean verify()', async () => {
      const { store } = await context.fresh();
      const atLimit = { tokensUsed: MAX_TOKENS_USED, costUsd: MAX_COST_USD, latencyMs: MAX_LATENCY_MS };
      await store.record(outcomeAt(1, atLimit));
      await store.recordMany([outcomeAt(2, atLimit), outcomeAt(3, atLimit)]);
      const stats = await store.getStats('execute-task', 'gpt-4o');
      expect(stats).toMatchObject({
        samples: 3,
        totalTokens: 3 * MAX_TOKENS_USED,
        totalCost: 3 * MAX_COST_USD,
        totalLatencyMs: 3 * MAX_LATENCY_MS,
      });
      const [summary] = await store.summarize({ groupBy: 'model' });
      expect(Number.isFinite(summary?.totalCost)).toBe(true);
      expect(await store.verify()).toMatchObject({ ok: true, mismatches: [], integrity: [] });
    });

    it('rejects a value past its limit with MP_INVALID_OUTCOME naming the limit, writing nothing', async () => {
      const { store } = await context.fresh();
      const cases = [
        { fields: { costUsd: 1e308 }, field: 'costUsd', limit: 'MAX_COST_USD' },
        { fields: { costUsd: MAX_COST_USD * 1.01 }, field: 'costUsd', limit: 'MAX_COST_USD' },
        { fields: { latencyMs: 1e308 }, field: 'latencyMs', limit: 'MAX_LATENCY_MS' },
        { fields: { tokensUsed: MAX_TOKENS_USED + 1 }, field: 'tokensUsed', limit: 'MAX_TOKENS_USED' },
        { fields: { tokensUsed: 2 ** 53 }, field: 'tokensUsed', limit: 'MAX_TOKENS_USED' },
        { fields: { tokensUsed: 2 ** 60 }, field: 'tokensUsed', limit: 'MAX_TOKENS_USED' },
      ];
      for (const { fields, field, limit } of cases) {
        const error = { name: 'ModelPerfError', code: 'MP_INVALID_OUTCOME', field };
        await expect(store.record(outcomeAt(1, fields)), limit).rejects.toMatchObject(error);
        await expect(store.record(outcomeAt(1, fields))).rejects.toThrow(limit);
        await expect(store.recordMany([outcomeAt(2), outcomeAt(1, fields)])).rejects.toMatchObject(error);
      }
      expect(await store.listStats()).toEqual([]);
      expect(await collect(store.outcomes())).toEqual([]);
    });

    it('rejects names and ids that hold a lone surrogate, writing nothing', async () => {
      const { store } = await context.fresh();
      for (const [field, value] of [
        ['taskType', 'x\uD800'],
        ['modelId', '\uDC00y'],
        ['id', 'id-\uD83D'],
      ] as const) {
        const record = () => store.record(outcomeAt(1, { [field]: value }));
        await expect(record()).rejects.toMatchObject({ code: 'MP_INVALID_OUTCOME', field });
        await expect(record()).rejects.toThrow('well-formed Unicode');
      }
      await expect(store.getStats('x\uD800', 'gpt-4o')).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
      expect(await store.listStats()).toEqual([]);
    });

    it("counts a name typed in two Unicode forms as one model ('café' in NFC and NFD)", async () => {
      const { store, location } = await context.fresh();
      await store.record(outcomeAt(1, { modelId: CAFE_NFC, taskType: `plan-${CAFE_NFD}` }));
      await store.record(outcomeAt(2, { modelId: CAFE_NFD, taskType: `plan-${CAFE_NFC}` }));
      const rows = await store.listStats();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ modelId: CAFE_NFC, taskType: `plan-${CAFE_NFC}`, samples: 2 });
      expect(await store.getStats(`plan-${CAFE_NFD}`, CAFE_NFD)).toMatchObject({ samples: 2 });
      const models = (await collect(store.outcomes({ modelId: CAFE_NFD }))).map((outcome) => outcome.modelId);
      expect(models).toEqual([CAFE_NFC, CAFE_NFC]);
      await store.close();
      const reopened = await context.reopen(location);
      expect(await reopened.getStats(`plan-${CAFE_NFC}`, CAFE_NFC)).toMatchObject({ samples: 2 });
      expect(await reopened.verify()).toMatchObject({ ok: true });
    });

    it('rejects imported and federated aggregates past their limits with MP_INVALID_IMPORT, writing nothing', async () => {
      const { store } = await context.fresh();
      const tooBig = [
        { totalCost: 1e308 },
        { totalCost: MAX_IMPORTED_COST_USD * 2 },
        { totalTokens: MAX_IMPORTED_TOKENS + 1 },
        { successes: 2 ** 52 },
      ];
      for (const fields of tooBig) {
        const importing = () => store.importBaselines(legacySource('big'), [baseline('t', 'm', fields)]);
        await expect(importing()).rejects.toMatchObject({ code: 'MP_INVALID_IMPORT' });
        await expect(importing()).rejects.toThrow('MAX_IMPORTED_');
        await expect(
          store.replaceFederated({ id: 'peer', exportedAt: '2026-03-01T00:00:00.000Z' }, [baseline('t', 'm', fields)]),
        ).rejects.toMatchObject({ code: 'MP_INVALID_IMPORT' });
      }
      await expect(store.importBaselines(legacySource('bad-name'), [baseline('t\uD800', 'm')])).rejects.toMatchObject({
        code: 'MP_INVALID_IMPORT',
        field: 'taskType',
      });
      expect(await store.listImports()).toEqual([]);
      expect(await store.listStats()).toEqual([]);
    });

    it('stores imported aggregates at their limits, with NFC names, and verify() stays clean', async () => {
      const { store } = await context.fresh();
      const big = { totalCost: MAX_IMPORTED_COST_USD, totalTokens: MAX_IMPORTED_TOKENS };
      expect(await store.importBaselines(legacySource('big'), [baseline('t', CAFE_NFD, big)])).toBe(true);
      await store.record(outcomeAt(1, { taskType: 't', modelId: CAFE_NFC, costUsd: MAX_COST_USD, tokensUsed: 0 }));
      expect(await store.getStats('t', CAFE_NFC)).toMatchObject({
        samples: 43,
        totalCost: MAX_IMPORTED_COST_USD + MAX_COST_USD,
        totalTokens: MAX_IMPORTED_TOKENS,
      });
      expect(await store.verify()).toMatchObject({ ok: true, mismatches: [] });
    });
  });
}
