import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type PerformanceStore } from '../../src/index.js';
import { exportLegacy, planMigration, pruneBackups } from '../../src/migrate/index.js';
import { captureLogger } from '../support/capture-logger.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-migrate-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function open(dir: string, options: Parameters<typeof openStore>[0] = {}): Promise<PerformanceStore> {
  const store = await openStore({ dir, logger: captureLogger(), ...options });
  cleanups.push(() => store.close());
  return store;
}

// Written as text: in an object literal "__proto__" would set the prototype instead of being a key.
const LEGACY_TEXT = JSON.stringify(
  JSON.parse(
    '{"execute-task":{"gpt-4o":{"successes":42,"failures":3,"successRate":0.1,"timeouts":1,"totalTokens":1200,' +
      '"totalCost":0.4,"lastUsed":"2026-01-05T10:00:00.000Z"},"__proto__":{"successes":1,"failures":1}},' +
      '"constructor":{"m":{"successes":2,"failures":0}},"plan-slice":{"claude-opus":{"successes":5,"failures":5}}}',
  ),
  null,
  2,
);

describe('absorbing a legacy model-performance.json into SQLite', () => {
  it('imports every pair as a baseline, recomputes successRate, archives the file byte for byte', async () => {
    const dir = await tempDir();
    const legacy = join(dir, 'model-performance.json');
    await writeFile(legacy, LEGACY_TEXT);
    const store = await open(dir);
    expect(store.info.backend).toBe('sqlite');
    const stats = await store.listStats();
    expect(stats.map((row) => [row.taskType, row.modelId, row.successes, row.failures])).toEqual([
      ['constructor', 'm', 2, 0],
      ['execute-task', '__proto__', 1, 1],
      ['execute-task', 'gpt-4o', 42, 3],
      ['plan-slice', 'claude-opus', 5, 5],
    ]);
    expect(stats[2]).toMatchObject({
      timeouts: 1,
      totalTokens: 1200,
      // A known total counts one value per sample; a baseline is history, so recency stays 0.
      tokenSamples: 45,
      totalCost: 0.4,
      costSamples: 45,
      lastUsed: '2026-01-05T10:00:00.000Z',
      fastSuccesses: 0,
      slowSuccesses: 0,
    });
    expect(stats[2]?.successRate).toBeCloseTo(42 / 45, 12);
    // Only successes and failures: the totals are unknown (null), not 0.
    expect(stats[3]).toMatchObject({ totalTokens: 0, tokenSamples: 0, totalCost: 0, costSamples: 0 });
    expect((await store.listBaselines()).find((entry) => entry.modelId === 'claude-opus')).toMatchObject({
      totalTokens: null,
      totalCost: null,
    });
    await expect(stat(legacy)).rejects.toMatchObject({ code: 'ENOENT' });
    const archives = await readdir(join(dir, 'backups'));
    expect(archives).toHaveLength(1);
    expect(archives[0]).toMatch(/^model-performance\.imported-\d{8}T\d{9}Z-[0-9a-f]{12}\.json$/);
    expect(await readFile(join(dir, 'backups', archives[0] ?? ''), 'utf8')).toBe(LEGACY_TEXT);
  });

  it('keeps aggregates equal to outcomes plus baselines, and never imports a file twice', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model-performance.json'), LEGACY_TEXT);
    const first = await open(dir);
    await first.record({ taskType: 'execute-task', modelId: 'gpt-4o', success: true });
    await first.close();
    // The same bytes again (a user restoring the archive by hand): recognised by hash, not re-counted.
    await writeFile(join(dir, 'model-performance.json'), LEGACY_TEXT);
    const second = await open(dir);
    expect(await second.getStats('execute-task', 'gpt-4o')).toMatchObject({ successes: 43, failures: 3 });
    expect(await second.listImports()).toHaveLength(1);
  });

  it('resumes after a crash between the import and the archive', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model-performance.json'), LEGACY_TEXT);
    const first = await open(dir, { migrate: false });
    // What a process killed right after the import transaction leaves: the import recorded, the file in place.
    const { absorbLegacy } = await import('../../src/migrate/absorb-legacy.js');
    const { parseLegacyStats } = await import('../../src/core/legacy-format.js');
    const { legacySource } = await import('../../src/migrate/absorb-legacy.js');
    const bytes = await readFile(join(dir, 'model-performance.json'));
    const entries = parseLegacyStats(bytes.toString('utf8'), 'model-performance.json');
    expect(await first.importBaselines(legacySource(bytes, entries), entries)).toBe(true);
    await first.close();
    const second = await open(dir);
    expect(await second.getStats('execute-task', 'gpt-4o')).toMatchObject({ successes: 42 });
    expect(await readdir(join(dir, 'backups'))).toHaveLength(1);
    expect((await absorbLegacy(second, dir)).status).toBe('none');
  });

  it.each([
    ['not JSON', '{"execute-task": '],
    ['a negative count', '{"t": {"m": {"successes": -1, "failures": 0}}}'],
    ['a non-numeric count', '{"t": {"m": {"successes": "12", "failures": 0}}}'],
    ['a missing failures count', '{"t": {"m": {"successes": 12}}}'],
  ])('leaves an invalid file (%s) untouched, imports nothing, and warns', async (_label, text) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model-performance.json'), text);
    const logger = captureLogger();
    const store = await open(dir, { logger });
    expect(store.info.backend).toBe('sqlite');
    expect(await store.listStats()).toEqual([]);
    expect(await readFile(join(dir, 'model-performance.json'), 'utf8')).toBe(text);
    expect(store.info.warnings.join('\n')).toMatch(/model-performance\.json was not imported/);
    expect(logger.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
  });

  it('imports nothing with migrate: false', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model-performance.json'), LEGACY_TEXT);
    const store = await open(dir, { migrate: false });
    expect(await store.listStats()).toEqual([]);
    expect(await readFile(join(dir, 'model-performance.json'), 'utf8')).toBe(LEGACY_TEXT);
  });

  it('imports 5,000 pairs in one transaction', async () => {
    const dir = await tempDir();
    const document: Record<string, Record<string, { successes: number; failures: number }>> = {};
    for (let task = 0; task < 50; task += 1) {
      const models: Record<string, { successes: number; failures: number }> = {};
      for (let model = 0; model < 100; model += 1) models[`model-${model}`] = { successes: task, failures: model };
      document[`task-${task}`] = models;
    }
    await writeFile(join(dir, 'model-performance.json'), JSON.stringify(document));
    const store = await open(dir);
    const stats = await store.listStats();
    expect(stats).toHaveLength(5000);
    expect(stats.reduce((sum, row) => sum + row.samples, 0)).toBe(50 * 100 * (49 / 2 + 99 / 2));
  });
});

describe('planMigration', () => {
  it('reports what would be imported and writes nothing', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model-performance.json'), LEGACY_TEXT);
    const before = await readdir(dir);
    const plan = await planMigration({ dir });
    expect(plan.legacy).toMatchObject({ status: 'valid', pairs: 4, successes: 50, failures: 9 });
    expect(await readdir(dir)).toEqual(before);
  });

  it('reports an invalid legacy file and an empty dir', async () => {
    const dir = await tempDir();
    expect((await planMigration({ dir })).legacy).toEqual({ status: 'none' });
    await writeFile(join(dir, 'model-performance.json'), '[1, 2]');
    expect((await planMigration({ dir })).legacy).toMatchObject({ status: 'invalid' });
  });
});

describe('pruneBackups', () => {
  it('removes imported archives older than the retention by the stamp in their name, nothing else', async () => {
    const dir = await tempDir();
    const backups = join(dir, 'backups');
    await mkdir(backups);
    const names = [
      'model-performance.imported-20260101T000000000Z-aaaaaaaaaaaa.json',
      'model-performance.imported-20260109T000000000Z-bbbbbbbbbbbb.json',
      'json-store.absorbed-20260101T000000000Z-cccccccc',
      'model-performance.db.corrupt-20250101T000000000Z',
      'notes.txt',
    ];
    for (const name of names) await writeFile(join(backups, name), name);
    const removed = await pruneBackups({ dir, now: new Date('2026-01-10T00:00:00Z') });
    expect(removed.map((path) => path.slice(backups.length + 1))).toEqual([names[2], names[0]]);
    expect((await readdir(backups)).sort()).toEqual([names[1], names[3], names[4]].sort());
    expect(await pruneBackups({ dir, now: new Date('2026-01-10T00:00:00Z'), retentionDays: 0 })).toHaveLength(1);
  });

  it('runs when a store opens', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'backups'));
    const old = 'model-performance.imported-20200101T000000000Z-aaaaaaaaaaaa.json';
    await writeFile(join(dir, 'backups', old), '{}');
    await open(dir);
    expect(await readdir(join(dir, 'backups'))).toEqual([]);
  });
});

describe('exportLegacy (rollback)', () => {
  it('writes the legacy nested format that the import reads back to the same stats', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.recordMany([
      {
        taskType: 'execute-task',
        modelId: 'gpt-4o',
        success: true,
        tokensUsed: 10,
        costUsd: 0.5,
        timestamp: '2026-01-01T00:00:00Z',
      },
      { taskType: 'execute-task', modelId: 'gpt-4o', success: false, timeout: true },
      { taskType: '__proto__', modelId: 'constructor', success: true },
    ]);
    const file = join(dir, 'rollback.json');
    await exportLegacy({ store, file });
    const exported = JSON.parse(await readFile(file, 'utf8')) as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    expect(exported['execute-task']?.['gpt-4o']).toMatchObject({
      successes: 1,
      failures: 1,
      successRate: 0.5,
      timeouts: 1,
      totalTokens: 10,
      totalCost: 0.5,
    });
    expect(Object.hasOwn(exported, '__proto__')).toBe(true);
    // No outcome of that pair gave tokens or cost: the totals are left out (unknown), not written as 0.
    const protoTask: unknown = Object.getOwnPropertyDescriptor(exported, '__proto__')?.value;
    expect(Object.keys((protoTask as Record<string, object>).constructor ?? {}).sort()).toEqual([
      'failures',
      'lastUsed',
      'successRate',
      'successes',
      'timeouts',
    ]);
    const other = await tempDir();
    await writeFile(join(other, 'model-performance.json'), await readFile(file));
    const reimported = await open(other);
    // A legacy file holds no latency, no count of given values (a known total counts one per sample)
    // and no recency (a baseline is history): the rest reads back the same.
    const strip = (rows: Awaited<ReturnType<PerformanceStore['listStats']>>) =>
      rows.map(
        ({
          totalLatencyMs: _latency,
          latencySamples: _samples,
          tokenSamples: _tokenSamples,
          costSamples: _costSamples,
          fastSuccesses: _fastSuccesses,
          fastFailures: _fastFailures,
          slowSuccesses: _slowSuccesses,
          slowFailures: _slowFailures,
          ...rest
        }) => rest,
      );
    expect(strip(await reimported.listStats())).toEqual(strip(await store.listStats()));
    expect(await reimported.getStats('execute-task', 'gpt-4o')).toMatchObject({ tokenSamples: 2, costSamples: 2 });
    expect(await reimported.getStats('__proto__', 'constructor')).toMatchObject({ tokenSamples: 0, costSamples: 0 });
  });
});
