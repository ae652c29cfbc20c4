import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore, type PerformanceStore } from '../../src/index.js';
import type { FullDiskOpenReport } from '../fixtures/full-disk-open.js';
import { captureLogger } from '../support/capture-logger.js';
import { FIXTURES, runChild } from '../support/children.js';
import { runOnTmpfs } from '../support/tmpfs.js';
import { withoutRootPowers } from '../support/without-root.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-select-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function open(options: Parameters<typeof openStore>[0]): Promise<PerformanceStore> {
  const store = await openStore(options);
  cleanups.push(() => store.close());
  return store;
}

/** Every file under dir with its bytes, to prove that a failed open deleted and changed nothing. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(path, (await readFile(path)).toString('base64'));
    }
  }
  return files;
}

/** The store runs on JSON, degraded, and says why SQLite could not start. */
function expectDegradedInfo(info: PerformanceStore['info'], cause: RegExp): void {
  expect(info).toMatchObject({ backend: 'json', degraded: true });
  expect(info.reason).toMatch(/^JSON \(fallback\): SQLite could not start: /);
  expect(info.reason).toMatch(cause);
  expect(info.warnings).toContain(info.reason);
}

/** Sets the mode of dir and of every file in it. */
async function setModes(dir: string, dirMode: number, fileMode: number): Promise<void> {
  await chmod(dir, dirMode);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) await chmod(join(dir, entry.name), fileMode);
  }
}

const FULL_DISK_OPEN = fileURLToPath(new URL('../fixtures/full-disk-open.ts', import.meta.url));

function expectKept(before: Map<string, string>, after: Map<string, string>): void {
  for (const [path, bytes] of before) expect(after.get(path), `${path} was changed or deleted`).toBe(bytes);
}

describe('openStore precedence: options > environment > config file > defaults', () => {
  it('defaults to SQLite on this Node, saying why', async () => {
    const store = await open({ dir: await tempDir() });
    expect(store.info).toMatchObject({ backend: 'sqlite', degraded: false, warnings: [] });
    expect(store.info.reason).toBe(`SQLite: Node ${process.versions.node} satisfies >=24`);
  });

  it('takes the config file over the defaults', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model-perf.config.json'), '{"backend": "json"}');
    expect((await open({ dir })).info.backend).toBe('json');
  });

  it('takes MODEL_PERF_BACKEND over the config file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model-perf.config.json'), '{"backend": "json"}');
    vi.stubEnv('MODEL_PERF_BACKEND', 'sqlite');
    expect((await open({ dir })).info.backend).toBe('sqlite');
  });

  it('takes options over MODEL_PERF_BACKEND', async () => {
    const dir = await tempDir();
    vi.stubEnv('MODEL_PERF_BACKEND', 'sqlite');
    expect((await open({ dir, backend: 'json' })).info.backend).toBe('json');
  });

  it('takes the dir from MODEL_PERF_DIR when no option gives one, and the option over it', async () => {
    const fromEnv = await tempDir();
    const fromOption = await tempDir();
    vi.stubEnv('MODEL_PERF_DIR', fromEnv);
    expect((await open({ backend: 'json' })).info.dir).toBe(fromEnv);
    expect((await open({ dir: fromOption, backend: 'json' })).info.dir).toBe(fromOption);
  });

  it('rejects a bad config file with MP_CONFIG and leaves the dir as it was', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model-perf.config.json'), '{"backend": "mongo"}');
    const before = await snapshot(dir);
    await expect(openStore({ dir })).rejects.toMatchObject({ code: 'MP_CONFIG', field: 'backend' });
    expect(await snapshot(dir)).toEqual(before);
  });

  it('rejects a busyTimeoutMs no backend can take with MP_CONFIG, never degrading to JSON', async () => {
    const dir = await tempDir();
    const logger = captureLogger();
    for (const busyTimeoutMs of [2 ** 31, 2 ** 31 - 0.5]) {
      await expect(openStore({ dir, logger, busyTimeoutMs })).rejects.toMatchObject({
        code: 'MP_CONFIG',
        field: 'busyTimeoutMs',
      });
    }
    // The largest value the settings take, SQLite takes too.
    const store = await open({ dir, logger, busyTimeoutMs: 2 ** 31 - 1 });
    expect(store.info).toMatchObject({ backend: 'sqlite', degraded: false });
    expect(logger.lines).toEqual([]);
  });

  it('rolls SQLite out by percentage, stable per dir', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model-perf.config.json'), '{"sqliteRollout": 0}');
    const none = await open({ dir });
    expect(none.info.backend).toBe('json');
    expect(none.info.reason).toMatch(/^JSON: this store's rollout bucket \d+ is outside the SQLite rollout of 0%$/);
    const id = await readFile(join(dir, 'model-perf.installation-id'), 'utf8');
    const picks = new Set<string>();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const store = await openStore({ dir, sqliteRollout: 50 });
      picks.add(store.info.backend);
      await store.close();
    }
    expect(picks.size).toBe(1);
    expect(await readFile(join(dir, 'model-perf.installation-id'), 'utf8')).toBe(id);
  });
});

describe('fallback when SQLite cannot start', () => {
  async function expectDegraded(dir: string, cause: RegExp): Promise<PerformanceStore> {
    const logger = captureLogger();
    const store = await open({ dir, logger });
    expectDegradedInfo(store.info, cause);
    expect(logger.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
    expect(logger.lines[0]?.message).toContain(store.info.reason);
    return store;
  }

  it('the db path is a directory', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'model-performance.db'));
    await writeFile(join(dir, 'model-performance.db', 'keep.txt'), 'user data');
    const before = await snapshot(dir);
    const store = await expectDegraded(dir, /model-performance\.db/);
    await store.record({ taskType: 't', modelId: 'm', success: true });
    expect(await store.getStats('t', 'm')).toMatchObject({ samples: 1 });
    expectKept(before, await snapshot(dir));
  });

  it('the db file is garbage', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model-performance.db'), Buffer.alloc(8192, 0x5a));
    const before = await snapshot(dir);
    await expectDegraded(dir, /not a database|corrupt/i);
    expectKept(before, await snapshot(dir));
  });

  it('with fallback false, rejects with MP_BACKEND_UNAVAILABLE carrying the cause', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model-performance.db'), Buffer.alloc(8192, 0x5a));
    const error = await openStore({ dir, backend: 'sqlite', fallback: false }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ModelPerfError', code: 'MP_BACKEND_UNAVAILABLE' });
    expect((error as Error).cause).toMatchObject({ code: 'MP_CORRUPT_DATA' });
    expect((error as Error).message).toContain(dir);
  });

  it('the dir is read-only for the process', async () => {
    const dir = await tempDir();
    const seeded = await openStore({ dir, backend: 'sqlite', fallback: false });
    await seeded.record({ taskType: 't', modelId: 'm', success: true });
    await seeded.close();
    const before = await snapshot(dir);
    await setModes(dir, 0o555, 0o444);
    cleanups.push(() => setModes(dir, 0o755, 0o644));
    // Root would write anyway: the probe runs without root's permission override.
    const probe = withoutRootPowers(process.execPath, [join(FIXTURES, 'open-probe.mjs'), dir]);
    const result = await runChild(probe.args, { node: probe.command });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { info: PerformanceStore['info']; record: string; warnings: string[] };
    expect(report.info).toMatchObject({ backend: 'json', degraded: true });
    expect(report.info.reason).toMatch(
      /SQLite could not start: .*(readonly|read-only|permission|unable to open|EACCES)/i,
    );
    expect(report.warnings).toHaveLength(1);
    expect(report.record).toBe('MP_IO');
    expectKept(before, await snapshot(dir));
  });

  it('the disk is full (a small tmpfs)', async () => {
    const report = await runOnTmpfs<FullDiskOpenReport>(256, FULL_DISK_OPEN);
    expectDegradedInfo(report.info, /full|ENOSPC|disk/i);
    expect(report.logLines.filter((line) => line.level === 'warn')).toHaveLength(1);
    expect(report.logLines[0]?.message).toContain(report.info.reason);
    expect(report.record).toBe('MP_IO');
    expect(report.changed, 'files the failed open changed or deleted').toEqual([]);
  });
});
