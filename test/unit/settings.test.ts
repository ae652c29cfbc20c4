import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/options.js';
import { INSTALLATION_ID_FILE, readInstallationId, rolloutBucket } from '../../src/open/rollout.js';
import { decideBackend } from '../../src/open/selection.js';
import { mergeSettings, readConfigFile, readEnvironment, readOptions } from '../../src/open/settings.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-settings-'));
  dirs.push(dir);
  return dir;
}

describe('settings', () => {
  it('layers options over environment over config file over defaults', () => {
    expect(mergeSettings({}, {}, {})).toEqual(DEFAULT_SETTINGS);
    expect(mergeSettings({}, {}, { backend: 'json', durability: 'full' })).toMatchObject({
      backend: 'json',
      durability: 'full',
    });
    expect(mergeSettings({}, { backend: 'sqlite' }, { backend: 'json', durability: 'full' })).toMatchObject({
      backend: 'sqlite',
      durability: 'full',
    });
    expect(mergeSettings({ backend: 'json' }, { backend: 'sqlite' }, { backend: 'auto' }).backend).toBe('json');
  });

  it('reads MODEL_PERF_BACKEND and rejects a bad value naming the variable', () => {
    expect(readEnvironment({ MODEL_PERF_BACKEND: 'json' })).toEqual({ backend: 'json' });
    expect(readEnvironment({ MODEL_PERF_BACKEND: '' })).toEqual({});
    expect(() => readEnvironment({ MODEL_PERF_BACKEND: 'mongo' })).toThrow(
      expect.objectContaining({ code: 'MP_CONFIG', message: expect.stringContaining('MODEL_PERF_BACKEND') }),
    );
  });

  it('validates options', () => {
    expect(readOptions({ sqliteRollout: 50, fallback: false })).toEqual({ sqliteRollout: 50, fallback: false });
    for (const bad of [
      { sqliteRollout: 101 },
      { sqliteNodeRange: 'not a range' },
      { busyTimeoutMs: -1 },
      { durability: 'max' },
    ]) {
      expect(() => readOptions(bad as never), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'MP_CONFIG' }),
      );
    }
  });

  it('reads a valid config file, and none when it is missing', async () => {
    const dir = await tempDir();
    expect(await readConfigFile(dir)).toEqual({});
    await writeFile(join(dir, 'model-perf.config.json'), JSON.stringify({ backend: 'json', sqliteRollout: 25 }));
    expect(await readConfigFile(dir)).toEqual({ backend: 'json', sqliteRollout: 25 });
  });

  it.each([
    ['an unknown key', '{"backnd": "json"}', 'backnd'],
    ['a bad value', '{"sqliteRollout": "half"}', 'sqliteRollout'],
    ['a prototype key', '{"__proto__": {"backend": "json"}}', '__proto__'],
    ['not JSON', '{backend: json', 'not valid JSON'],
    ['not an object', '["json"]', 'JSON object'],
  ])('rejects a config file with %s, naming the file and the key', async (_label, text, named) => {
    const dir = await tempDir();
    const file = join(dir, 'model-perf.config.json');
    await writeFile(file, text);
    const error = await readConfigFile(dir).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ModelPerfError', code: 'MP_CONFIG', file });
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(named);
  });
});

describe('backend decision', () => {
  const never = (): Promise<number> => Promise.reject(new Error('the bucket must not be read'));

  it('forces a backend when asked, whatever the Node version', async () => {
    expect(await decideBackend({ ...DEFAULT_SETTINGS, backend: 'sqlite' }, '20.0.0', never)).toMatchObject({
      backend: 'sqlite',
    });
    expect(await decideBackend({ ...DEFAULT_SETTINGS, backend: 'json' }, '26.0.0', never)).toMatchObject({
      backend: 'json',
      reason: 'JSON: backend "json" was requested',
    });
  });

  it('picks by the Node range, naming it', async () => {
    expect(await decideBackend(DEFAULT_SETTINGS, '24.21.0', never)).toEqual({
      backend: 'sqlite',
      reason: 'SQLite: Node 24.21.0 satisfies >=24',
    });
    expect(await decideBackend(DEFAULT_SETTINGS, '22.23.3', never)).toEqual({
      backend: 'json',
      reason: 'JSON: Node 22.23.3 does not satisfy >=24, the range for SQLite',
    });
    const wider = { ...DEFAULT_SETTINGS, sqliteNodeRange: '>=22.13' };
    expect((await decideBackend(wider, '22.23.3', never)).backend).toBe('sqlite');
  });

  it('picks by the rollout bucket when the rollout is partial', async () => {
    const half = { ...DEFAULT_SETTINGS, sqliteRollout: 50 };
    expect((await decideBackend(half, '24.0.0', async () => 49)).backend).toBe('sqlite');
    const outside = await decideBackend(half, '24.0.0', async () => 50);
    expect(outside).toEqual({
      backend: 'json',
      reason: "JSON: this store's rollout bucket 50 is outside the SQLite rollout of 50%",
    });
    expect((await decideBackend({ ...DEFAULT_SETTINGS, sqliteRollout: 0 }, '24.0.0', async () => 0)).backend).toBe(
      'json',
    );
  });

  it('keeps a stable installation id per dir and spreads buckets evenly', async () => {
    const dir = await tempDir();
    const [first, second] = await Promise.all([readInstallationId(dir), readInstallationId(dir)]);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
    expect(await readInstallationId(dir)).toBe(first);
    const counts = new Array<number>(10).fill(0);
    for (let index = 0; index < 10_000; index += 1) {
      const bucket = rolloutBucket(`installation-${index}`);
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(100);
      counts[Math.floor(bucket / 10)] = (counts[Math.floor(bucket / 10)] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(850);
  });

  it('never lets a reader see a half-made installation id while processes race to create it', async () => {
    const dir = await tempDir();
    const file = join(dir, INSTALLATION_ID_FILE);
    const seen = new Set<string>();
    let racing = true;
    const watcher = (async () => {
      while (racing) {
        const text = await readFile(file, 'utf8').catch(() => undefined);
        if (text !== undefined) seen.add(text);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const ids = await Promise.all(Array.from({ length: 16 }, () => readInstallationId(dir)));
    racing = false;
    await watcher;
    expect(new Set(ids).size).toBe(1);
    // Only the whole id was ever on disk: no empty file, and no temp file left behind.
    for (const text of seen) expect(text).toBe(`${ids[0]}\n`);
    expect(await readdir(dir)).toEqual([INSTALLATION_ID_FILE]);
  });
});
