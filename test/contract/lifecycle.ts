import type { ContractContext } from './context.js';
import { collect, outcomeAt } from './fixtures.js';

export function lifecycleContract(context: ContractContext): void {
  const { describe, it, expect } = context;
  describe('lifecycle', () => {
    it('describes itself in info', async () => {
      const { store } = await context.fresh();
      const { info } = store;
      expect(['sqlite', 'json', 'postgres']).toContain(info.backend);
      expect(typeof info.degraded).toBe('boolean');
      expect(info.reason.length).toBeGreaterThan(0);
      expect(info.schemaVersion).toBeGreaterThanOrEqual(1);
      expect(info.nodeVersion).toBe(process.versions.node);
      expect(Array.isArray(info.files)).toBe(true);
      expect(Array.isArray(info.warnings)).toBe(true);
    });

    it('sees everything after close and reopen', async () => {
      const { store, location } = await context.fresh();
      await store.recordMany([outcomeAt(1, { id: 'a' }), outcomeAt(2, { id: 'b', success: false, modelId: 'm2' })]);
      await store.record(outcomeAt(3, { id: 'c', taskType: 'review' }));
      const before = { stats: await store.listStats(), outcomes: await collect(store.outcomes()) };
      await store.close();
      const reopened = await context.reopen(location);
      expect(await reopened.listStats()).toEqual(before.stats);
      expect(await collect(reopened.outcomes())).toEqual(before.outcomes);
      await reopened.record(outcomeAt(4, { id: 'a' }));
      expect(await reopened.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 1 });
    });

    it('waits for writes in flight when closing', async () => {
      const { store, location } = await context.fresh();
      const pending = Array.from({ length: 50 }, (_, index) => store.record(outcomeAt(index, { id: `w-${index}` })));
      await store.close();
      await Promise.all(pending);
      const reopened = await context.reopen(location);
      expect(await reopened.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 50 });
    });

    it('rejects every call after close with MP_CLOSED, and close twice is fine', async () => {
      const { store } = await context.fresh();
      await store.record(outcomeAt(0));
      await store.close();
      await store.close();
      const closed = { code: 'MP_CLOSED' };
      await expect(store.record(outcomeAt(1))).rejects.toMatchObject(closed);
      await expect(store.recordMany([outcomeAt(1)])).rejects.toMatchObject(closed);
      await expect(store.getStats('execute-task', 'gpt-4o')).rejects.toMatchObject(closed);
      await expect(store.listStats()).rejects.toMatchObject(closed);
      await expect(collect(store.outcomes())).rejects.toMatchObject(closed);
      await expect(store.summarize({ groupBy: 'model' })).rejects.toMatchObject(closed);
    });

    it('keeps two locations apart', async () => {
      const first = await context.fresh();
      const second = await context.fresh();
      await first.store.record(outcomeAt(0, { id: 'shared-id', modelId: 'only-first' }));
      await second.store.record(outcomeAt(0, { id: 'shared-id', modelId: 'only-second' }));
      expect((await first.store.listStats()).map((row) => row.modelId)).toEqual(['only-first']);
      expect((await second.store.listStats()).map((row) => row.modelId)).toEqual(['only-second']);
    });

    it('lets two open stores on one location see each other', async () => {
      const { store, location } = await context.fresh();
      const other = await context.reopen(location);
      await store.record(outcomeAt(0, { id: 'from-first' }));
      await other.record(outcomeAt(1, { id: 'from-second' }));
      await other.record(outcomeAt(2, { id: 'from-first' }));
      for (const reader of [store, other]) {
        expect(await reader.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 2 });
        expect((await collect(reader.outcomes())).map((outcome) => outcome.id)).toEqual(['from-first', 'from-second']);
      }
    });
  });
}
