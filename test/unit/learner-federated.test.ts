import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BaselineEntry } from '../../src/core/baselines.js';
import { wilsonInterval } from '../../src/core/statistics/wilson.js';
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_ENTRIES } from '../../src/learner/federated.js';
import { INSTALLATION_ID_FILE } from '../../src/open/rollout.js';
import {
  DAY_MS,
  type LearnerSetup,
  outcomesOf,
  STORE_BACKENDS,
  type StoreBackend,
  statsDocument,
  T0,
  useLearners,
} from '../support/learner-fixture.js';

const TASK = 'execute-task';
const MEMORY = STORE_BACKENDS.find((backend) => backend.name === 'memory') as StoreBackend;

function entry(modelId: string, successes: number, failures: number, taskType = TASK): BaselineEntry {
  return { taskType, modelId, successes, failures, timeouts: 0, totalTokens: 10, totalCost: 0.5, lastUsed: null };
}

describe.each(STORE_BACKENDS)('federated stats on $name', (backend) => {
  const learners = useLearners(backend);

  it('exports aggregates only, of pairs with at least minSamples, under a stable id of the store', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'gpt-4o', 9, 1, T0 - DAY_MS, { tokensUsed: 5, costUsd: 0.25 }),
      ...outcomesOf(TASK, 'rare', 2, 0, T0 - DAY_MS),
    ]);
    const document = await learner.exportStats();
    expect(document).toEqual({
      format: 'model-perf-stats',
      version: 2,
      sourceId: (await readFile(join(store.info.dir, INSTALLATION_ID_FILE), 'utf8')).trim(),
      exportedAt: new Date(T0).toISOString(),
      entries: [
        {
          taskType: TASK,
          modelId: 'gpt-4o',
          successes: 9,
          failures: 1,
          timeouts: 0,
          totalTokens: 50,
          totalCost: 2.5,
          lastUsed: new Date(T0 - DAY_MS + 9000).toISOString(),
        },
      ],
    });
    expect((await learner.exportStats()).sourceId).toBe(document.sourceId);
    expect((await learner.exportStats({ minSamples: 1 })).entries.map((row) => row.modelId)).toEqual([
      'gpt-4o',
      'rare',
    ]);
    await expect(learner.exportStats({ minSamples: -1 })).rejects.toMatchObject({ code: 'MP_INVALID_QUERY' });
  });

  it('exports a total no outcome gave as null, and imports it as unknown', async () => {
    const peer = await learners.open();
    const local = await learners.open();
    const unpriced = outcomesOf(TASK, 'gpt-4o', 3, 1, T0).map(({ tokensUsed: _t, costUsd: _c, ...outcome }) => outcome);
    await peer.store.recordMany([...unpriced, ...outcomesOf(TASK, 'gpt-4o', 1, 0, T0 + 60_000, { costUsd: 0.5 })]);
    const document = await peer.learner.exportStats({ minSamples: 1 });
    // One outcome gave a cost: the total is what is known; none gave tokens: unknown.
    expect(document.entries).toEqual([expect.objectContaining({ successes: 4, totalTokens: 100, totalCost: 0.5 })]);
    const bare = outcomesOf(TASK, 'bare', 2, 0, T0).map(({ tokensUsed: _t, costUsd: _c, ...outcome }) => outcome);
    await peer.store.recordMany(bare);
    const withBare = await peer.learner.exportStats({ minSamples: 1 });
    expect(withBare.entries.find((entry) => entry.modelId === 'bare')).toMatchObject({
      totalTokens: null,
      totalCost: null,
    });
    await local.learner.importStats(JSON.parse(JSON.stringify(withBare)));
    expect((await local.store.listFederated()).find((entry) => entry.modelId === 'bare')).toMatchObject({
      totalTokens: null,
      totalCost: null,
    });
  });

  it('imports another store export as priors that never change the stats, and re-importing replaces them', async () => {
    const peer = await learners.open();
    const local = await learners.open();
    await peer.store.recordMany(outcomesOf(TASK, 'gpt-4o', 18, 2, T0));
    await local.store.recordMany(outcomesOf(TASK, 'gpt-4o', 1, 1, T0));
    const before = await local.store.listStats();
    const first = await peer.learner.exportStats();
    // Through JSON, as a document travels between machines.
    expect(await local.learner.importStats(JSON.parse(JSON.stringify(first)))).toEqual({
      sourceId: first.sourceId,
      entries: 1,
    });
    await peer.store.recordMany(outcomesOf(TASK, 'gpt-4o', 0, 10, T0 + 60_000));
    await local.learner.importStats(await peer.learner.exportStats());
    expect(await local.store.listFederated()).toEqual([
      expect.objectContaining({ modelId: 'gpt-4o', sourceId: first.sourceId, successes: 18, failures: 12 }),
    ]);
    expect(await local.store.listStats()).toEqual(before);
    // Federated priors are not re-exported: only the store's own stats travel.
    expect((await local.learner.exportStats({ minSamples: 0 })).entries).toEqual([
      expect.objectContaining({ successes: 1, failures: 1 }),
    ]);
  });

  it("rejects the store's own export", async () => {
    const { learner, store } = await learners.open();
    await store.recordMany(outcomesOf(TASK, 'gpt-4o', 10, 0, T0));
    await expect(learner.importStats(await learner.exportStats())).rejects.toMatchObject({
      code: 'MP_INVALID_IMPORT',
      field: 'sourceId',
    });
    expect(await store.listFederated()).toEqual([]);
  });

  it('ranks on local data only by default, and adds the summed priors with includeFederated', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([...outcomesOf(TASK, 'local', 8, 2, T0), ...outcomesOf(TASK, 'mixed', 2, 2, T0)]);
    const localOnly = await learner.getRankedModels(TASK);
    await learner.importStats(statsDocument('peer-a', [entry('mixed', 30, 0), entry('peer-only', 50, 0)]));
    await learner.importStats(statsDocument('peer-b', [entry('mixed', 10, 4), entry('other-task', 9, 0, 'review')]));
    expect(await learner.getRankedModels(TASK)).toEqual(localOnly);
    expect(await learner.getRankedModels(TASK, { includeFederated: false })).toEqual(localOnly);
    const ranked = await learner.getRankedModels(TASK, { includeFederated: true });
    expect(ranked.map((row) => [row.modelId, row.successes, row.failures, row.samples, row.federatedSamples])).toEqual([
      ['peer-only', 50, 0, 50, 50],
      ['mixed', 42, 6, 48, 44],
      ['local', 8, 2, 10, 0],
    ]);
    const mixed = ranked[1];
    expect(mixed?.lower).toBe(wilsonInterval(42, 48).lower);
    expect(mixed?.successRate).toBe(42 / 48);
    // Averages stay per local sample: the prior informs the success rate only.
    expect(mixed).toMatchObject({ totalTokens: 400, avgTokens: 100, timeouts: 0 });
    expect(ranked[0]).toMatchObject({ avgTokens: null, avgCost: null, avgLatencyMs: null, lastUsed: null });
    // minSamples counts the prior: a peer's evidence is evidence.
    await store.recordMany(outcomesOf('review', 'x', 1, 0, T0));
    expect(
      (await learner.getRankedModels('review', { includeFederated: true, minSamples: 5 })).map((row) => row.modelId),
    ).toEqual(['other-task']);
    const pair = await learner.getABTestCandidates(TASK, { includeFederated: true });
    expect(pair?.incumbent.modelId).toBe('peer-only');
    await expect(learner.getRankedModels(TASK, { includeFederated: 'yes' } as never)).rejects.toMatchObject({
      code: 'MP_INVALID_QUERY',
      field: 'includeFederated',
    });
  });
});

describe('importStats validation', () => {
  const learners = useLearners(MEMORY);
  const learner = (): Promise<LearnerSetup> => learners.open();
  const valid = statsDocument('peer', [entry('gpt-4o', 3, 1)]);
  const bad: ReadonlyArray<[string, unknown, string]> = [
    ['null', null, 'document'],
    ['an array', [valid], 'document'],
    ['a string', JSON.stringify(valid), 'document'],
    ['another format', { ...valid, format: 'model-perf-stats-snapshot' }, 'format'],
    ['version 3', { ...valid, version: 3 }, 'version'],
    // One format version per file: an older document is refused, not read.
    ['version 1', { ...valid, version: 1 }, 'version'],
    ['version "1"', { ...valid, version: '1' }, 'version'],
    ['an unknown field', { ...valid, signature: 'x' }, 'signature'],
    ['a __proto__ key', JSON.parse(`{"__proto__": {}, ${JSON.stringify(valid).slice(1)}`), '__proto__'],
    ['a constructor key', { ...valid, constructor: {} }, 'constructor'],
    [
      'a __proto__ key in an entry',
      statsDocument('peer', [JSON.parse(`{"__proto__": 1, ${JSON.stringify(entry('m', 1, 1)).slice(1)}`)]),
      '__proto__',
    ],
    ['a prototype key in an entry', statsDocument('peer', [{ ...entry('m', 1, 1), prototype: 1 }]), 'prototype'],
    ['no sourceId', { ...valid, sourceId: undefined }, 'sourceId'],
    ['an empty sourceId', { ...valid, sourceId: '' }, 'sourceId'],
    ['exportedAt not a date', { ...valid, exportedAt: 'today' }, 'exportedAt'],
    ['entries not an array', { ...valid, entries: {} }, 'entries'],
    ['a negative count', statsDocument('peer', [entry('m', -1, 0)]), 'successes'],
    [
      'an infinite cost',
      statsDocument('peer', [{ ...entry('m', 1, 0), totalCost: Number.POSITIVE_INFINITY }]),
      'totalCost',
    ],
    ['a NaN count', statsDocument('peer', [entry('m', Number.NaN, 0)]), 'successes'],
    ['a bad model name', statsDocument('peer', [entry('m\n2', 1, 0)]), 'modelId'],
    ['a pair twice', statsDocument('peer', [entry('m', 1, 0), entry('m', 2, 0)]), 'entries'],
    [
      `${MAX_DOCUMENT_ENTRIES + 1} entries`,
      statsDocument(
        'peer',
        Array.from({ length: MAX_DOCUMENT_ENTRIES + 1 }, (_, index) => entry(`m${index}`, 1, 0)),
      ),
      'entries',
    ],
  ];

  it.each(bad)('rejects %s with MP_INVALID_IMPORT naming it, and writes nothing', async (_label, document, field) => {
    const { learner: target, store } = await learner();
    await expect(target.importStats(document)).rejects.toMatchObject({
      name: 'ModelPerfError',
      code: 'MP_INVALID_IMPORT',
      field,
    });
    expect(await store.listFederated()).toEqual([]);
  });

  it(`rejects a document over ${MAX_DOCUMENT_BYTES} bytes`, async () => {
    const { learner: target, store } = await learner();
    const long = (index: number): string => `${index}-${'x'.repeat(190)}`;
    const entries = Array.from({ length: 30_000 }, (_, index) => entry(long(index), 1, 0, long(index)));
    await expect(target.importStats(statsDocument('peer', entries))).rejects.toMatchObject({
      code: 'MP_INVALID_IMPORT',
      field: 'document',
    });
    expect(await store.listFederated()).toEqual([]);
  });

  it('takes prototype names as values: they are data, not keys', async () => {
    const { learner: target, store } = await learner();
    const names = ['__proto__', 'constructor', 'prototype'];
    await target.importStats(
      statsDocument(
        '__proto__',
        names.map((name) => entry(name, 1, 0, name)),
      ),
    );
    expect((await store.listFederated()).map((row) => [row.taskType, row.modelId, row.sourceId])).toEqual(
      [...names].sort().map((name) => [name, name, '__proto__']),
    );
    expect(({} as Record<string, unknown>).successes).toBeUndefined();
  });
});
