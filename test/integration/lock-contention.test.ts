import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, silentLogger } from '../../src/index.js';
import { FIXTURES } from '../support/children.js';
import { LineChild } from '../support/line-child.js';
import { writeFigures } from '../support/reliability-figures.js';

const WORKERS = 3;
const BUSY_TIMEOUT_MS = 600;
/** A wait for a lock may end a little early (timer granularity) and late by the machine's load. */
const EARLY_MS = 50;
const LATE_MS = 3000;
const BEFORE = 15;
const AFTER = 15;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts a process that takes the store's lock and keeps it until killed; resolves once it holds it. */
async function holdLock(fixture: string, dir: string): Promise<() => Promise<void>> {
  const holder: ChildProcess = spawn(process.execPath, [join(FIXTURES, fixture), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    holder.on('error', reject);
    holder.on('exit', (code) => reject(new Error(`${fixture} exited (${code}) before it held the lock`)));
    holder.stdout?.once('data', () => resolve());
  });
  holder.removeAllListeners('exit');
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    const gone = new Promise((resolve) => holder.once('close', resolve));
    holder.kill('SIGKILL');
    await gone;
  };
  cleanups.push(release);
  return release;
}

async function startWorker(
  dir: string,
  backend: string,
): Promise<{ worker: LineChild; open: Record<string, unknown> }> {
  const worker = new LineChild([join(FIXTURES, 'lock-worker.mjs'), dir, backend, String(BUSY_TIMEOUT_MS)]);
  cleanups.push(() => worker.exit());
  return { worker, open: await worker.next() };
}

async function storeDir(backend: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `model-perf-lock-${backend}-`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Records `count` outcomes through each worker; returns their ids (all must be acknowledged). */
async function recordEach(workers: readonly LineChild[], prefix: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, worker] of workers.entries()) {
    for (let n = 0; n < count; n += 1) {
      const id = `${prefix}-w${index}-${n}`;
      expect(await worker.send(`record ${id}`), id).toMatchObject({ ok: true });
      ids.push(id);
    }
  }
  return ids;
}

function expectLocked(reply: Record<string, unknown>, label: string): number {
  expect(reply, label).toMatchObject({ ok: false, name: 'ModelPerfError', code: 'MP_LOCKED' });
  expect(String(reply.message), label).toMatch(/busy timeout/);
  const waited = Number(reply.ms);
  expect(waited, `${label}: gave up before the busy timeout`).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS - EARLY_MS);
  expect(waited, `${label}: waited far past the busy timeout`).toBeLessThan(BUSY_TIMEOUT_MS + LATE_MS);
  // The wait ran on timers: the worker's own 5 ms timer kept firing (a wait inside SQLite, or in
  // Atomics.wait, lets it fire not once until the call returns).
  expect(Number(reply.ticks), `${label}: the event loop was blocked while waiting`).toBeGreaterThan(10);
  return waited;
}

async function expectStored(dir: string, backend: 'sqlite' | 'json', acked: readonly string[]): Promise<void> {
  const store = await openStore({ dir, backend, fallback: false, logger: silentLogger });
  try {
    expect(await store.verify()).toMatchObject({ ok: true, outcomes: acked.length });
    const ids: string[] = [];
    for await (const outcome of store.outcomes()) ids.push(outcome.id);
    expect(ids.sort()).toEqual([...acked].sort());
  } finally {
    await store.close();
  }
}

describe('lock contention between processes', () => {
  it('sqlite: writers wait the busy timeout behind a long write transaction, then fail with MP_LOCKED', async () => {
    const dir = await storeDir('sqlite');
    const workers: LineChild[] = [];
    for (let index = 0; index < WORKERS; index += 1) {
      const { worker, open } = await startWorker(dir, 'sqlite');
      expect(open, worker.stderr).toMatchObject({ event: 'open', backend: 'sqlite' });
      workers.push(worker);
    }
    const acked = await recordEach(workers, 'before', BEFORE);

    const release = await holdLock('sqlite-blocker.mjs', dir);
    const waits: number[] = [];
    for (const [index, worker] of workers.entries()) {
      waits.push(expectLocked(await worker.send(`record locked-w${index}`), `worker ${index}`));
      // Readers never wait in WAL mode: the lock holds writers only.
      expect(await worker.send('total'), `worker ${index} read`).toMatchObject({ ok: true, value: acked.length });
    }
    // Opening takes the write lock too (to create or check the schema): with SQLite forced and no
    // fallback, openStore says SQLite is unavailable, because of MP_LOCKED.
    const late = await startWorker(dir, 'sqlite');
    expect(late.open).toMatchObject({ event: 'open-failed', code: 'MP_BACKEND_UNAVAILABLE', cause: 'MP_LOCKED' });
    waits.push(Number(late.open.ms));
    expect(Number(late.open.ticks), 'the event loop was blocked while opening').toBeGreaterThan(10);

    await release();
    acked.push(...(await recordEach(workers, 'after', AFTER)));
    for (const worker of workers) expect(await worker.send('close')).toMatchObject({ event: 'closed' });
    await expectStored(dir, 'sqlite', acked);
    await writeFigures('lock-sqlite', {
      backend: 'sqlite',
      processes: WORKERS + 1,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      lockedCalls: waits.length,
      mpLocked: waits.length,
      waitedMs: { min: Math.round(Math.min(...waits)), max: Math.round(Math.max(...waits)) },
      outcomesAcknowledged: acked.length,
      lost: 0,
    });
  }, 60_000);

  it('json: record() never takes json.lock; an imports change waits the busy timeout, then fails with MP_LOCKED', async () => {
    const dir = await storeDir('json');
    const workers: LineChild[] = [];
    for (let index = 0; index < WORKERS; index += 1) {
      const { worker, open } = await startWorker(dir, 'json');
      expect(open, worker.stderr).toMatchObject({ event: 'open', backend: 'json' });
      workers.push(worker);
    }
    const acked = await recordEach(workers, 'before', BEFORE);

    const release = await holdLock('json-lock-holder.mjs', dir);
    const waits: number[] = [];
    const recordMs: number[] = [];
    for (const [index, worker] of workers.entries()) {
      for (let n = 0; n < AFTER; n += 1) {
        const id = `held-w${index}-${n}`;
        const reply = await worker.send(`record ${id}`);
        expect(reply, id).toMatchObject({ ok: true });
        recordMs.push(Number(reply.ms));
        acked.push(id);
      }
      waits.push(expectLocked(await worker.send(`import source-${index}`), `worker ${index} import`));
    }
    // Had record() waited for the lock, each would have taken the busy timeout.
    expect(Math.max(...recordMs)).toBeLessThan(BUSY_TIMEOUT_MS / 2);

    // A holder that died leaves a stale lock: the next change breaks it and goes through.
    await release();
    for (const [index, worker] of workers.entries()) {
      expect(await worker.send(`import source-${index}`)).toMatchObject({ ok: true, value: true });
    }
    acked.push(...(await recordEach(workers, 'after', AFTER)));
    for (const worker of workers) expect(await worker.send('close')).toMatchObject({ event: 'closed' });
    await expectStored(dir, 'json', acked);
    const reader = await openStore({ dir, backend: 'json', fallback: false, logger: silentLogger });
    expect((await reader.listImports()).map((source) => source.id).sort()).toEqual([
      'source-0',
      'source-1',
      'source-2',
    ]);
    await reader.close();
    await writeFigures('lock-json', {
      backend: 'json',
      processes: WORKERS,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      lockedCalls: waits.length,
      mpLocked: waits.length,
      waitedMs: { min: Math.round(Math.min(...waits)), max: Math.round(Math.max(...waits)) },
      recordsWhileLockHeld: recordMs.length,
      slowestRecordWhileLockHeldMs: Math.round(Math.max(...recordMs)),
      outcomesAcknowledged: acked.length,
      lost: 0,
    });
  }, 60_000);
});
