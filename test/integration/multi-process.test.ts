import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, silentLogger } from '../../src/index.js';
import { expectExactStore } from '../contract/recount.js';
import { FIXTURES, runChild } from '../support/children.js';

const WORKERS = 4;
const PER_WORKER = 2500;
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe.each(['sqlite', 'json'] as const)('%s: four processes writing one dir at once', (backend) => {
  it(`counts exactly ${WORKERS} x ${PER_WORKER} outcomes`, async () => {
    const dir = await mkdtemp(join(tmpdir(), `model-perf-multi-${backend}-`));
    dirs.push(dir);
    const worker = join(FIXTURES, 'record-worker.mjs');
    const results = await Promise.all(
      Array.from({ length: WORKERS }, (_, index) =>
        runChild([worker, dir, backend, String(index), String(PER_WORKER)]),
      ),
    );
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0, signal: null });

    const store = await openStore({ dir, backend, fallback: false, logger: silentLogger });
    try {
      expect(store.info.backend).toBe(backend);
      await expectExactStore(store, WORKERS * PER_WORKER, expect);
    } finally {
      await store.close();
    }
  });
});
