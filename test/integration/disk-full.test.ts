import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeError } from '../../src/core/errors.js';
import { type OutcomeInput, openStore, type PerformanceStore, silentLogger } from '../../src/index.js';
import { fillDisk } from '../support/fill-disk.js';
import { writeFigures } from '../support/reliability-figures.js';
import { seededRandom } from '../support/seeded-random.js';
import { mountTmpfsForTest } from '../support/tmpfs.js';

const TMPFS_KB = 1024;
/** Enough writes to fill whatever the filler left (a WAL can reuse its old frames for a while). */
const MAX_WRITES_UNTIL_FULL = 20_000;
/** More writes once full: each must fail the same typed way, and none may land half. */
const WRITES_WHILE_FULL = 20;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function outcome(n: number, random: () => number): OutcomeInput {
  return {
    id: `o-${n}`,
    taskType: `task-${n % 3}`,
    modelId: `model-${n % 4}`,
    success: random() < 0.8,
    tokensUsed: Math.floor(random() * 5000),
    costUsd: Math.floor(random() * 1000) / 1024,
    latencyMs: Math.floor(random() * 8000) / 4,
    timestamp: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
  };
}

/** Writes a single outcome or a batch; returns the ids it stored, or the error. */
async function write(store: PerformanceStore, next: number, random: () => number): Promise<string[] | unknown> {
  const count = random() < 0.5 ? 1 : 2 + Math.floor(random() * 30);
  const batch = Array.from({ length: count }, (_, offset) => outcome(next + offset, random));
  try {
    if (count === 1) await store.record(batch[0] as OutcomeInput);
    else await store.recordMany(batch);
    return batch.map((input) => input.id as string);
  } catch (error) {
    return error;
  }
}

async function storedIds(store: PerformanceStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const stored of store.outcomes()) ids.push(stored.id);
  return ids.sort();
}

async function expectExactly(store: PerformanceStore, acked: readonly string[]): Promise<void> {
  const report = await store.verify();
  expect(report).toMatchObject({ ok: true, outcomes: acked.length, mismatches: [], integrity: [] });
  expect(await storedIds(store)).toEqual([...acked].sort());
  const samples = (await store.listStats()).reduce((sum, row) => sum + row.samples, 0);
  expect(samples).toBe(acked.length);
}

describe.each(['sqlite', 'json'] as const)('%s on a full disk (a real tmpfs)', (backend) => {
  it('fails writes with MP_IO and its cause, writes nothing half, and records on once space is freed', async (context) => {
    const tmpfs = await mountTmpfsForTest(TMPFS_KB, context);
    if (tmpfs === undefined) return;
    cleanups.push(() => tmpfs.unmount());
    const dir = join(tmpfs.dir, 'store');
    const random = seededRandom(7);
    const acked: string[] = [];
    let next = 0;
    const open = async (): Promise<PerformanceStore> => {
      const store = await openStore({ dir, backend, fallback: false, logger: silentLogger });
      cleanups.push(() => store.close());
      return store;
    };
    const store = await open();
    for (let round = 0; round < 10; round += 1) {
      const result = await write(store, next, random);
      expect(Array.isArray(result), describeError(result)).toBe(true);
      acked.push(...(result as string[]));
      next += (result as string[]).length;
    }

    const filler = fillDisk(tmpfs.dir);
    const failures: unknown[] = [];
    let writesUntilFull = 0;
    while (failures.length === 0 && writesUntilFull < MAX_WRITES_UNTIL_FULL) {
      writesUntilFull += 1;
      const result = await write(store, next, random);
      if (Array.isArray(result)) acked.push(...result);
      else failures.push(result);
      next += 40;
    }
    expect(failures, 'the disk never filled up').toHaveLength(1);
    for (let attempt = 0; attempt < WRITES_WHILE_FULL; attempt += 1) {
      const result = await write(store, next, random);
      if (Array.isArray(result)) acked.push(...result);
      else failures.push(result);
      next += 40;
    }
    for (const failure of failures) {
      expect(failure).toMatchObject({ name: 'ModelPerfError', code: 'MP_IO' });
      const cause = (failure as Error).cause;
      expect(cause, 'MP_IO carries its cause').toBeDefined();
      expect(describeError(cause)).toMatch(/ENOSPC|full/i);
    }
    await expectExactly(store, acked);

    await rm(filler);
    for (let round = 0; round < 10; round += 1) {
      const result = await write(store, next, random);
      expect(Array.isArray(result), describeError(result)).toBe(true);
      acked.push(...(result as string[]));
      next += 40;
    }
    await expectExactly(store, acked);
    await store.close();
    await expectExactly(await open(), acked);

    await writeFigures(`disk-full-${backend}`, {
      backend,
      tmpfsKb: TMPFS_KB,
      writesUntilFull,
      failedWrites: failures.length,
      failureCodes: [...new Set(failures.map((failure) => (failure as { code?: string }).code))],
      failureCauses: [...new Set(failures.map((failure) => describeError((failure as Error).cause)))].slice(0, 3),
      outcomesAcknowledged: acked.length,
      outcomesStored: acked.length,
      lost: 0,
      doubled: 0,
    });
  }, 60_000);
});
