import { FAST_DECAY, SLOW_DECAY } from '../../src/core/recency.js';
import type { ModelStats } from '../../src/core/types.js';
import type { ContractContext, Expect } from './context.js';
import { outcomeAt } from './fixtures.js';
import { baseline, legacySource } from './import-fixtures.js';

/** The recency counters after successes and failures in this order, from an empty pair. */
function expectedRecency(results: readonly boolean[]) {
  let [fastSuccesses, fastFailures, slowSuccesses, slowFailures] = [0, 0, 0, 0];
  for (const success of results) {
    fastSuccesses = fastSuccesses * FAST_DECAY + (success ? 1 : 0);
    fastFailures = fastFailures * FAST_DECAY + (success ? 0 : 1);
    slowSuccesses = slowSuccesses * SLOW_DECAY + (success ? 1 : 0);
    slowFailures = slowFailures * SLOW_DECAY + (success ? 0 : 1);
  }
  return { fastSuccesses, fastFailures, slowSuccesses, slowFailures };
}

function expectRecency(expect: Expect, stats: ModelStats | undefined, results: readonly boolean[]): void {
  expect(stats).not.toBeUndefined();
  for (const [field, value] of Object.entries(expectedRecency(results))) {
    expect(stats?.[field as keyof ReturnType<typeof expectedRecency>], field).toBeCloseTo(value, 9);
  }
}

/** The decayed success/failure pairs every stats row keeps for choose(): per outcome of the pair, in recording order. */
export function recencyContract(context: ContractContext): void {
  const { describe, it, expect } = context;
  describe('recency counters', () => {
    it('step once per outcome of their own pair, in the order recorded (not by timestamp)', async () => {
      const { store, location } = await context.fresh();
      // Timestamps run backwards: the order recorded is what decays, not the time.
      await store.record(outcomeAt(9, { id: 'a', success: true }));
      await store.record(outcomeAt(8, { id: 'other', modelId: 'other' }));
      await store.record(outcomeAt(7, { id: 'b', success: false }));
      await store.recordMany([
        outcomeAt(6, { id: 'c', success: true }),
        outcomeAt(5, { id: 'other-2', modelId: 'other', success: false }),
        outcomeAt(4, { id: 'd', success: false }),
        outcomeAt(3, { id: 'e', success: true }),
      ]);
      const sequence = [true, false, true, false, true];
      expectRecency(expect, await store.getStats('execute-task', 'gpt-4o'), sequence);
      expectRecency(expect, await store.getStats('execute-task', 'other'), [true, false]);
      await store.close();
      const reopened = await context.reopen(location);
      const [listed] = await reopened.listStats({ modelId: 'gpt-4o' });
      expectRecency(expect, listed, sequence);
      expect((await reopened.verify()).ok).toBe(true);
    });

    it('are not stepped by a repeated id, a baseline, or federated priors', async () => {
      const { store } = await context.fresh();
      await store.record(outcomeAt(1, { id: 'a', success: false }));
      await store.record(outcomeAt(2, { id: 'a', success: true }));
      await store.recordMany([outcomeAt(3, { id: 'a' })]);
      await store.importBaselines(legacySource('legacy-1'), [
        baseline('execute-task', 'gpt-4o'),
        baseline('plan-slice', 'only-history'),
      ]);
      await store.replaceFederated({ id: 'peer', exportedAt: '2026-02-01T00:00:00.000Z' }, [
        baseline('execute-task', 'gpt-4o'),
      ]);
      const stats = await store.getStats('execute-task', 'gpt-4o');
      expect(stats).toMatchObject({ samples: 43 });
      expectRecency(expect, stats, [false]);
      expectRecency(expect, await store.getStats('plan-slice', 'only-history'), []);
      await store.record(outcomeAt(4, { id: 'b', success: true }));
      expectRecency(expect, await store.getStats('execute-task', 'gpt-4o'), [false, true]);
    });
  });
}
