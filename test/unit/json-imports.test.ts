import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealDocument } from '../../src/backends/json/document-file.js';
import { IMPORTS_VERSION } from '../../src/backends/json/imports-file.js';
import { JsonStore } from '../../src/backends/json/index.js';
import { LOCAL_HOST } from '../../src/backends/json/layout.js';
import { silentLogger } from '../../src/core/logger.js';
import { baseline, legacySource } from '../contract/import-fixtures.js';
import { expectRecountMatches } from '../contract/recount.js';
import { filesIn, openJson, outcomesNo, TINY, tempDir } from './json-fixture.js';

const IMPORTS = 'model-perf.imports.json';
const PEER = { id: 'peer', exportedAt: '2026-02-01T00:00:00.000Z' };

function readImports(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, IMPORTS), 'utf8')) as Record<string, unknown>;
}

describe('JsonStore imports file', () => {
  it('keeps imports, baselines and federated priors in one versioned file, names as values', async () => {
    const dir = await tempDir();
    const store = await openJson(dir);
    const details = JSON.parse('{"__proto__":"a detail","rows":3}') as Record<string, string | number>;
    await store.importBaselines(legacySource('legacy'), [baseline('__proto__', 'constructor')]);
    await store.importBaselines({ id: 'table', kind: 'outcomes-table', details }, []);
    await store.replaceFederated(PEER, [baseline('t', '__proto__')]);
    const file = readImports(dir);
    expect(file).toMatchObject({ format: 'model-perf-json-imports', version: IMPORTS_VERSION });
    expect(file.baselines).toEqual([{ ...baseline('__proto__', 'constructor'), sourceId: 'legacy' }]);
    expect(file.federated).toEqual([
      expect.objectContaining({ taskType: 't', modelId: '__proto__', sourceId: 'peer' }),
    ]);
    expect(file.imports).toHaveLength(2);
    expect(Object.getPrototypeOf(file)).toBe(Object.prototype);
    // Nothing but the file (no outcome was written): the temp file was renamed into place, the lock released.
    expect(filesIn(dir)).toEqual([IMPORTS]);
    const reopened = await openJson(dir);
    const table = (await reopened.listImports()).find((record) => record.id === 'table');
    expect(Object.hasOwn(table?.details ?? {}, '__proto__')).toBe(true);
    expect(await reopened.getStats('__proto__', 'constructor')).toMatchObject({ successes: 40, failures: 2 });
  });

  it('adds baselines on read: the checkpoint stays a fold of the outcomes alone', async () => {
    const dir = await tempDir();
    const store = await openJson(dir, TINY);
    await store.importBaselines(legacySource('legacy'), [baseline('task-1', 'model-1')]);
    await store.recordMany(outcomesNo(0, 40));
    await store.close();
    const checkpoint = JSON.parse(readFileSync(join(dir, 'model-perf.checkpoint.json'), 'utf8')) as {
      stats: Array<{ taskType: string; modelId: string; successes: number; failures: number }>;
    };
    const folded = checkpoint.stats.reduce((sum, row) => sum + row.successes + row.failures, 0);
    expect(folded).toBe(40);
    const reopened = await openJson(dir, TINY);
    expect((await reopened.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(40 + 42);
    expect(await reopened.listStats({ minSamples: 43 })).toEqual([
      expect.objectContaining({ taskType: 'task-1', modelId: 'model-1' }),
    ]);
    await expectRecountMatches(reopened, expect);
  });

  it('moves a damaged file to backups/, fails that call with MP_CORRUPT_DATA, and works on', async () => {
    const dir = await tempDir();
    const store = await openJson(dir);
    await store.importBaselines(legacySource('legacy'), [baseline('t', 'm')]);
    writeFileSync(join(dir, IMPORTS), '{"format":"model-perf-json-imports","version":1,"imports":[');
    await expect(store.listStats()).rejects.toMatchObject({ code: 'MP_CORRUPT_DATA', file: join(dir, IMPORTS) });
    expect(filesIn(join(dir, 'backups'))).toEqual([
      expect.stringMatching(/^model-perf\.imports\.json\.corrupt-\d{8}T\d{9}Z-[0-9a-f]{8}$/),
    ]);
    expect(existsSync(join(dir, IMPORTS))).toBe(false);
    expect(await store.listStats()).toEqual([]);
    expect(await store.importBaselines(legacySource('legacy'), [baseline('t', 'm')])).toBe(true);
  });

  it.each([
    [
      'a record with a bad count',
      { imports: [], baselines: [{ ...baseline('t', 'm', { successes: -1 }), sourceId: 's' }], federated: [] },
    ],
    ['a missing list', { imports: [], baselines: [] }],
    [
      'an import of an unknown kind',
      { imports: [{ id: 's', kind: 'csv', importedAt: '2026-01-01T00:00:00.000Z' }], baselines: [], federated: [] },
    ],
  ])('treats %s as damage, never as data', async (_label, lists) => {
    const dir = await tempDir();
    writeFileSync(
      join(dir, IMPORTS),
      sealDocument(JSON.stringify({ format: 'model-perf-json-imports', version: IMPORTS_VERSION, ...lists })),
    );
    await expect(JsonStore.open({ dir, logger: silentLogger })).rejects.toMatchObject({ code: 'MP_CORRUPT_DATA' });
    const store = await openJson(dir);
    expect(await store.listBaselines()).toEqual([]);
  });

  it('refuses a file written by a newer model-perf, leaving it as it is', async () => {
    const dir = await tempDir();
    const newer = JSON.stringify({ format: 'model-perf-json-imports', version: IMPORTS_VERSION + 1 });
    writeFileSync(join(dir, IMPORTS), newer);
    await expect(JsonStore.open({ dir, logger: silentLogger })).rejects.toMatchObject({
      code: 'MP_BACKEND_UNAVAILABLE',
    });
    expect(readFileSync(join(dir, IMPORTS), 'utf8')).toBe(newer);
  });

  it('waits for the store lock up to the busy timeout, then fails with MP_LOCKED and writes nothing', async () => {
    const dir = await tempDir();
    const store = await JsonStore.open({ dir, logger: silentLogger, busyTimeoutMs: 100 });
    const holder = { pid: process.pid, host: LOCAL_HOST, token: 'a-compaction', acquiredAt: new Date().toISOString() };
    writeFileSync(join(dir, 'json.lock'), JSON.stringify(holder));
    try {
      await expect(store.importBaselines(legacySource('s'), [baseline('t', 'm')])).rejects.toMatchObject({
        code: 'MP_LOCKED',
      });
      await expect(store.replaceFederated(PEER, [baseline('t', 'm')])).rejects.toMatchObject({ code: 'MP_LOCKED' });
      // Reads take no lock.
      expect(await store.listImports()).toEqual([]);
      expect(existsSync(join(dir, IMPORTS))).toBe(false);
    } finally {
      await store.close();
    }
  });
});
