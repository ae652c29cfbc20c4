import type { BaselineEntry } from '../../src/core/baselines.js';
import type { OutcomeInput } from '../../src/core/types.js';
import type { ContractContext } from './context.js';
import { collect, outcomeAt } from './fixtures.js';
import { baseline, legacySource } from './import-fixtures.js';
import { expectRecountMatches } from './recount.js';

const PEER = { id: 'peer-installation', exportedAt: '2026-02-01T00:00:00.000Z' };

/** outcomeAt without tokens, cost and latency, plus `fields`. */
function bareOutcomeAt(hours: number, fields: Partial<OutcomeInput> = {}): OutcomeInput {
  const { tokensUsed: _tokens, costUsd: _cost, latencyMs: _latency, ...rest } = outcomeAt(hours);
  return { ...rest, ...fields };
}

/** A baseline entry without some of its totals, as a document parsed from JSON may hold it. */
function entryWithout(entry: BaselineEntry, ...fields: Array<'totalTokens' | 'totalCost'>): BaselineEntry {
  const copy: Record<string, unknown> = { ...entry };
  for (const field of fields) delete copy[field];
  return copy as unknown as BaselineEntry;
}

/** Tokens and cost that were not given: stored as null, left out of every sum and every count of values. */
export function knownValuesContract(context: ContractContext): void {
  const { describe, it, expect } = context;
  describe('tokens and cost not given', () => {
    it('stores them as null and counts only the given values, across a reopen', async () => {
      const { store, location } = await context.fresh();
      await store.recordMany([
        outcomeAt(1, { id: 'both', tokensUsed: 300, costUsd: 0.5 }),
        bareOutcomeAt(2, { id: 'neither', success: false }),
        bareOutcomeAt(3, { id: 'tokens', tokensUsed: 100 }),
      ]);
      const expected = {
        samples: 3,
        totalTokens: 400,
        tokenSamples: 2,
        totalCost: 0.5,
        costSamples: 1,
        latencySamples: 1,
      };
      expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject(expected);
      const [summary] = await store.summarize({ groupBy: 'model' });
      expect(summary).toMatchObject({ trials: 3, totalTokens: 400, tokenSamples: 2, totalCost: 0.5, costSamples: 1 });
      await store.close();
      const reopened = await context.reopen(location);
      const stored = await collect(reopened.outcomes());
      expect(stored.map(({ id, tokensUsed, costUsd }) => ({ id, tokensUsed, costUsd }))).toEqual([
        { id: 'both', tokensUsed: 300, costUsd: 0.5 },
        { id: 'neither', tokensUsed: null, costUsd: null },
        { id: 'tokens', tokensUsed: 100, costUsd: null },
      ]);
      expect(await reopened.getStats('execute-task', 'gpt-4o')).toMatchObject(expected);
      await expectRecountMatches(reopened, expect);
      expect((await reopened.verify()).ok).toBe(true);
    });

    it('sums a day without any given value as 0 over 0 values', async () => {
      const { store } = await context.fresh();
      await store.record(bareOutcomeAt(0, { taskType: 'plan-slice', modelId: 'm' }));
      expect(await store.summarize({ groupBy: 'day' })).toEqual([
        expect.objectContaining({ trials: 1, totalTokens: 0, tokenSamples: 0, totalCost: 0, costSamples: 0 }),
      ]);
    });

    it('keeps a baseline total it was not given as null, and counts a given one as one value per sample', async () => {
      const { store } = await context.fresh();
      const withoutTokens = entryWithout(baseline('execute-task', 'gpt-4o', { totalCost: 0.84 }), 'totalTokens');
      const entries = [withoutTokens, baseline('plan-slice', 'm', { totalTokens: null, totalCost: null })];
      expect(await store.importBaselines(legacySource('legacy-1'), entries)).toBe(true);
      expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({
        samples: 42,
        totalTokens: 0,
        tokenSamples: 0,
        totalCost: 0.84,
        costSamples: 42,
      });
      expect(await store.getStats('plan-slice', 'm')).toMatchObject({ tokenSamples: 0, costSamples: 0 });
      expect((await store.listBaselines()).map(({ totalTokens, totalCost }) => ({ totalTokens, totalCost }))).toEqual([
        { totalTokens: null, totalCost: 0.84 },
        { totalTokens: null, totalCost: null },
      ]);
      await store.record(outcomeAt(1, { tokensUsed: 50 }));
      expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({ totalTokens: 50, tokenSamples: 1 });
      await expectRecountMatches(store, expect);
      expect((await store.verify()).ok).toBe(true);
    });

    it('keeps a federated total it was not given as null, and the stats untouched', async () => {
      const { store } = await context.fresh();
      await store.replaceFederated(PEER, [
        entryWithout(baseline('execute-task', 'gpt-4o'), 'totalTokens', 'totalCost'),
      ]);
      expect(await store.listFederated()).toEqual([
        expect.objectContaining({ modelId: 'gpt-4o', successes: 40, totalTokens: null, totalCost: null }),
      ]);
      expect(await store.listStats()).toEqual([]);
    });
  });
}
