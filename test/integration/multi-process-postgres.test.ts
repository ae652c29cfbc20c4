import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, silentLogger } from '../../src/index.js';
import { expectExactStore } from '../contract/recount.js';
import { FIXTURES, runChild } from '../support/children.js';
import { postgresWorkspace, TEST_PG_URL } from '../support/postgres.js';

const WORKERS = 4;
const PER_WORKER = 2500;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('postgres: four processes writing one schema at once', () => {
  it(`counts exactly ${WORKERS} x ${PER_WORKER} outcomes`, async () => {
    const { dir, schema } = await postgresWorkspace('multi-postgres', cleanups);
    // The same worker as for SQLite and JSON: the schema comes from the dir's config file, the URL from
    // the environment, as a fleet would configure it. Four new processes also race to create the schema.
    await writeFile(join(dir, 'model-perf.config.json'), JSON.stringify({ postgresSchema: schema }));
    const env = { ...process.env, MODEL_PERF_PG_URL: TEST_PG_URL };
    const worker = join(FIXTURES, 'record-worker.mjs');
    const results = await Promise.all(
      Array.from({ length: WORKERS }, (_, index) =>
        runChild([worker, dir, 'postgres', String(index), String(PER_WORKER)], { env }),
      ),
    );
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0, signal: null });

    const store = await openStore({
      dir,
      backend: 'postgres',
      url: TEST_PG_URL,
      fallback: false,
      logger: silentLogger,
    });
    try {
      expect(store.info).toMatchObject({ backend: 'postgres', degraded: false });
      await expectExactStore(store, WORKERS * PER_WORKER, expect);
      expect(await store.verify()).toMatchObject({ ok: true, outcomes: WORKERS * PER_WORKER });
    } finally {
      await store.close();
    }
  });
});
