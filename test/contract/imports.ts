import type { PerformanceStore } from '../../src/core/store.js';
import type { ContractContext } from './context.js';
import { collect, HOSTILE_NAMES, outcomeAt } from './fixtures.js';
import { BAD_FEDERATED, BAD_IMPORTS, baseline, legacySource } from './import-fixtures.js';
import { expectRecountMatches } from './recount.js';

const PEER = { id: 'peer-installation', exportedAt: '2026-02-01T00:00:00.000Z' };

/** Everything a store keeps about imports, to compare before and after a call that must change nothing. */
async function importState(store: PerformanceStore): Promise<unknown> {
  return {
    stats: await store.listStats(),
    imports: await store.listImports(),
    baselines: await store.listBaselines(),
    federated: await store.listFederated(),
  };
}

/** Baselines (importBaselines), the import record, and federated priors (replaceFederated). */
export function importContract(context: ContractContext): void {
  const { describe, it, expect } = context;
  describe('importBaselines', () => {
    it('adds each entry to its pair, creating new pairs, and keeps the entries as baselines', async () => {
      const { store } = await context.fresh();
      await store.recordMany([outcomeAt(1, { id: 'a' }), outcomeAt(2, { id: 'b', success: false })]);
      const before = await store.getStats('execute-task', 'gpt-4o');
      const entries = [baseline('execute-task', 'gpt-4o'), baseline('plan-slice', 'claude', { lastUsed: null })];
      expect(await store.importBaselines(legacySource('legacy-1'), entries)).toBe(true);
      expect(await store.getStats('execute-task', 'gpt-4o')).toEqual({
        ...before,
        successes: 41,
        failures: 3,
        timeouts: 1,
        totalTokens: 1200,
        // A known baseline total counts one value per sample.
        tokenSamples: 44,
        totalCost: (before?.totalCost ?? 0) + 0.5,
        costSamples: 44,
        samples: 44,
        successRate: 41 / 44,
        // The outcomes are newer than the baseline's lastUsed.
        lastUsed: before?.lastUsed,
      });
      expect(await store.getStats('plan-slice', 'claude')).toMatchObject({
        successes: 40,
        failures: 2,
        samples: 42,
        totalLatencyMs: 0,
        latencySamples: 0,
        lastUsed: null,
      });
      expect(await store.listBaselines()).toEqual(entries.map((entry) => ({ ...entry, sourceId: 'legacy-1' })));
      // Baselines are not outcomes: the raw stream and the summaries know nothing of them.
      expect((await collect(store.outcomes())).map((outcome) => outcome.id)).toEqual(['a', 'b']);
      expect((await store.summarize({ groupBy: 'model' })).map((row) => row.trials)).toEqual([2]);
      await expectRecountMatches(store, expect);
    });

    it('keeps the later lastUsed of the pair and the baseline', async () => {
      const { store } = await context.fresh();
      await store.record(outcomeAt(1));
      const later = '2027-01-01T00:00:00.000Z';
      await store.importBaselines(legacySource('s'), [baseline('execute-task', 'gpt-4o', { lastUsed: later })]);
      expect((await store.getStats('execute-task', 'gpt-4o'))?.lastUsed).toBe(later);
    });

    it('adds nothing and resolves false for a source recorded before', async () => {
      const { store } = await context.fresh();
      expect(await store.importBaselines(legacySource('legacy-1'), [baseline('t', 'm')])).toBe(true);
      const state = await importState(store);
      expect(await store.importBaselines(legacySource('legacy-1'), [baseline('t', 'm'), baseline('t', 'new')])).toBe(
        false,
      );
      expect(await store.importBaselines(legacySource('legacy-1'), [])).toBe(false);
      expect(await importState(store)).toEqual(state);
      await expectRecountMatches(store, expect);
    });

    it('records a source with no entries, so that an empty legacy file is not imported again', async () => {
      const { store } = await context.fresh();
      expect(await store.importBaselines(legacySource('empty'), [])).toBe(true);
      expect(await store.importBaselines(legacySource('empty'), [baseline('t', 'm')])).toBe(false);
      expect(await store.listStats()).toEqual([]);
      expect((await store.listImports()).map((record) => record.id)).toEqual(['empty']);
    });

    it('stores hostile names verbatim, across a reopen', async () => {
      const { store, location } = await context.fresh();
      const entries = HOSTILE_NAMES.map((name, index) => baseline(name, name, { successes: index, failures: 1 }));
      await store.importBaselines(legacySource(HOSTILE_NAMES[0] ?? ''), entries);
      await store.replaceFederated({ ...PEER, id: '__proto__' }, entries);
      const check = async (target: PerformanceStore): Promise<void> => {
        for (const [index, name] of HOSTILE_NAMES.entries()) {
          expect(await target.getStats(name, name), name).toMatchObject({ successes: index, failures: 1 });
          expect(await target.listFederated({ taskType: name }), name).toEqual([
            expect.objectContaining({ taskType: name, modelId: name, sourceId: '__proto__', successes: index }),
          ]);
        }
        expect((await target.listBaselines()).map((entry) => entry.sourceId)).toEqual(
          HOSTILE_NAMES.map(() => '__proto__'),
        );
        await expectRecountMatches(target, expect);
      };
      await check(store);
      await store.close();
      await check(await context.reopen(location));
    });

    it(`rejects ${BAD_IMPORTS.length} kinds of bad input with MP_INVALID_IMPORT naming the field, writing nothing`, async () => {
      const { store } = await context.fresh();
      await store.record(outcomeAt(0));
      const state = await importState(store);
      for (const { label, source, entries, field } of BAD_IMPORTS) {
        await expect(store.importBaselines(source as never, entries as never), label).rejects.toMatchObject({
          name: 'ModelPerfError',
          code: 'MP_INVALID_IMPORT',
          field,
        });
      }
      for (const { label, source, field } of BAD_IMPORTS.filter((bad) => bad.field.startsWith('source'))) {
        await expect(store.importBaselines(source as never, []), label).rejects.toMatchObject({
          code: 'MP_INVALID_IMPORT',
          field,
        });
      }
      expect(await importState(store)).toEqual(state);
    });

    it('counts a source once when two stores on one location import it at once', async () => {
      const { store, location } = await context.fresh();
      const other = await context.reopen(location);
      const entries = [baseline('t', 'm', { successes: 7, failures: 3 })];
      const results = await Promise.all([
        store.importBaselines(legacySource('race'), entries),
        other.importBaselines(legacySource('race'), entries),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      for (const reader of [store, other]) {
        expect(await reader.getStats('t', 'm')).toMatchObject({ successes: 7, failures: 3 });
        expect(await reader.listImports()).toHaveLength(1);
        await expectRecountMatches(reader, expect);
      }
    });
  });

  describe('importBaselines without entries, and listImports', () => {
    it('records each source once, with its details, sorted by importedAt then id', async () => {
      const { store, location } = await context.fresh();
      const started = Date.now();
      // Details as JSON.parse makes them: "__proto__" is then an ordinary key, and must stay one.
      const details = JSON.parse('{"file":"outcomes.db","rows":12,"__proto__":"kept"}') as Record<string, string>;
      expect(await store.importBaselines({ id: 'outcomes-table:b', kind: 'outcomes-table', details }, [])).toBe(true);
      expect(await store.importBaselines({ id: 'outcomes-table:a', kind: 'outcomes-table' }, [])).toBe(true);
      expect(await store.importBaselines({ id: 'outcomes-table:a', kind: 'degraded-json' }, [])).toBe(false);
      const check = async (target: PerformanceStore): Promise<void> => {
        const records = await target.listImports();
        expect(records.map((record) => record.id).sort()).toEqual(['outcomes-table:a', 'outcomes-table:b']);
        const sorted = [...records].sort((x, y) => x.importedAt.localeCompare(y.importedAt) || (x.id < y.id ? -1 : 1));
        expect(records).toEqual(sorted);
        for (const record of records) {
          expect(Date.parse(record.importedAt)).toBeGreaterThanOrEqual(started - 1);
          expect(record.importedAt).toBe(new Date(record.importedAt).toISOString());
        }
        const withDetails = records.find((record) => record.id === 'outcomes-table:b');
        expect(withDetails).toMatchObject({ kind: 'outcomes-table', details: { file: 'outcomes.db', rows: 12 } });
        expect(Object.getOwnPropertyDescriptor(withDetails?.details ?? {}, '__proto__')?.value).toBe('kept');
        expect(records.find((record) => record.id === 'outcomes-table:a')).not.toHaveProperty('details');
        expect(await target.listStats()).toEqual([]);
      };
      await check(store);
      await store.close();
      await check(await context.reopen(location));
    });
  });

  describe('federated priors', () => {
    it('replaces all entries of a source on each import, never adds', async () => {
      const { store } = await context.fresh();
      await store.replaceFederated(PEER, [baseline('t', 'a'), baseline('t', 'b'), baseline('u', 'a')]);
      await store.replaceFederated({ id: 'other-peer', exportedAt: PEER.exportedAt }, [baseline('t', 'a')]);
      const later = { id: PEER.id, exportedAt: '2026-02-02T00:00:00+01:00' };
      await store.replaceFederated(later, [baseline('t', 'a', { successes: 3 })]);
      const entries = await store.listFederated();
      expect(entries.map((entry) => [entry.taskType, entry.modelId, entry.sourceId, entry.successes])).toEqual([
        ['t', 'a', 'other-peer', 40],
        ['t', 'a', PEER.id, 3],
      ]);
      expect(entries[1]).toMatchObject({
        exportedAt: '2026-02-01T23:00:00.000Z',
        failures: 2,
        lastUsed: baseline('t', 'a').lastUsed,
      });
      expect(entries[1]?.importedAt).toBe(new Date(entries[1]?.importedAt ?? '').toISOString());
      await store.replaceFederated(later, []);
      expect((await store.listFederated()).map((entry) => entry.sourceId)).toEqual(['other-peer']);
    });

    it('filters by task type, sorted by task, model, then source', async () => {
      const { store } = await context.fresh();
      await store.replaceFederated({ ...PEER, id: 'z-peer' }, [
        baseline('t', 'b'),
        baseline('t', 'a'),
        baseline('u', 'a'),
      ]);
      await store.replaceFederated({ ...PEER, id: 'a-peer' }, [baseline('t', 'b')]);
      const rows = (await store.listFederated({ taskType: 't' })).map((entry) => [entry.modelId, entry.sourceId]);
      expect(rows).toEqual([
        ['a', 'z-peer'],
        ['b', 'a-peer'],
        ['b', 'z-peer'],
      ]);
      expect(await store.listFederated({ taskType: 'nothing' })).toEqual([]);
      await expect(store.listFederated({ taskType: '' })).rejects.toMatchObject({
        code: 'MP_INVALID_QUERY',
        field: 'taskType',
      });
      await expect(store.listFederated({ modelId: 'a' } as never)).rejects.toMatchObject({
        code: 'MP_INVALID_QUERY',
        field: 'modelId',
      });
    });

    it('never changes the stats', async () => {
      const { store } = await context.fresh();
      await store.recordMany([outcomeAt(1, { id: 'a' }), outcomeAt(2, { id: 'b', success: false })]);
      const stats = await store.listStats();
      await store.replaceFederated(PEER, [baseline('execute-task', 'gpt-4o'), baseline('execute-task', 'peer-only')]);
      expect(await store.listStats()).toEqual(stats);
      expect(await store.getStats('execute-task', 'peer-only')).toBeUndefined();
      expect(await store.listBaselines()).toEqual([]);
      expect(await store.listImports()).toEqual([]);
      await expectRecountMatches(store, expect);
    });

    it(`rejects ${BAD_FEDERATED.length} kinds of bad input with MP_INVALID_IMPORT naming the field, writing nothing`, async () => {
      const { store } = await context.fresh();
      await store.replaceFederated(PEER, [baseline('t', 'kept')]);
      const state = await importState(store);
      for (const { label, source, entries, field } of BAD_FEDERATED) {
        await expect(store.replaceFederated(source as never, entries as never), label).rejects.toMatchObject({
          code: 'MP_INVALID_IMPORT',
          field,
        });
      }
      // A bad replacement of a known source leaves its old entries in place.
      await expect(store.replaceFederated(PEER, [baseline('t', 'x', { successes: -1 })])).rejects.toMatchObject({
        code: 'MP_INVALID_IMPORT',
      });
      expect(await importState(store)).toEqual(state);
    });
  });

  describe('imports across reopen and close', () => {
    it('keeps imports, baselines and federated priors across a reopen, and another store sees them', async () => {
      const { store, location } = await context.fresh();
      const other = await context.reopen(location);
      await store.record(outcomeAt(0, { id: 'o' }));
      await store.importBaselines(legacySource('legacy'), [baseline('execute-task', 'gpt-4o'), baseline('t', 'm')]);
      await store.importBaselines({ id: 'table', kind: 'outcomes-table', details: { rows: 1 } }, []);
      await store.replaceFederated(PEER, [baseline('t', 'm', { successes: 9 })]);
      const state = await importState(store);
      expect(await importState(other)).toEqual(state);
      await store.close();
      const reopened = await context.reopen(location);
      expect(await importState(reopened)).toEqual(state);
      await expectRecountMatches(reopened, expect);
    });

    it('rejects every import call after close with MP_CLOSED', async () => {
      const { store } = await context.fresh();
      await store.close();
      const closed = { code: 'MP_CLOSED' };
      await expect(store.importBaselines(legacySource('s'), [])).rejects.toMatchObject(closed);
      await expect(store.listImports()).rejects.toMatchObject(closed);
      await expect(store.listBaselines()).rejects.toMatchObject(closed);
      await expect(store.replaceFederated(PEER, [])).rejects.toMatchObject(closed);
      await expect(store.listFederated()).rejects.toMatchObject(closed);
    });
  });
}
