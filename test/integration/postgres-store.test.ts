import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStoreOptions } from '../../src/backends/postgres/index.js';
import { SCHEMA_VERSION } from '../../src/backends/postgres/schema.js';
import { openStore, type PerformanceStore, silentLogger } from '../../src/index.js';
import { outcomeAt } from '../contract/fixtures.js';
import { adminQuery, describePostgres, postgresWorkspace, TEST_PG_URL } from '../support/postgres.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store dir and a schema of its own, removed after the test. */
function workspace(): Promise<{ dir: string; schema: string }> {
  return postgresWorkspace('pg', cleanups);
}

async function open(options: Omit<PostgresStoreOptions, 'logger'>): Promise<PerformanceStore> {
  const store = await openPostgresStore({ ...options, logger: silentLogger });
  cleanups.push(() => store.close());
  return store;
}

/** An administrator's session that holds locks until the test lets go. */
async function adminSession(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

describePostgres('PostgresStore', () => {
  it('describes itself, with the server named but not its password', async () => {
    const { dir, schema } = await workspace();
    const url = new URL(TEST_PG_URL);
    url.password = 'not-shown';
    const store = await open({ dir, url: url.toString(), schema });
    url.password = '***';
    expect(store.info).toEqual({
      backend: 'postgres',
      degraded: false,
      reason: 'PostgreSQL: opened directly',
      dir,
      files: [],
      schemaVersion: SCHEMA_VERSION,
      nodeVersion: process.versions.node,
      sqliteVersion: null,
      warnings: [],
      location: `${url.toString()} (schema ${schema})`,
    });
    // It keeps nothing in the dir: that is for openStore's offline fallback.
    expect(await readdir(dir)).toEqual([]);
  });

  it('creates its schema once when many stores open it at the same moment', async () => {
    const { dir, schema } = await workspace();
    const stores = await Promise.all(Array.from({ length: 6 }, () => open({ dir, url: TEST_PG_URL, schema })));
    await Promise.all(stores.map((store, index) => store.record(outcomeAt(index, { id: `s-${index}` }))));
    const versions = await adminQuery(`SELECT version FROM "${schema}".schema_version`);
    expect(versions.rows).toEqual([{ version: SCHEMA_VERSION }]);
    expect(await stores[0]?.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 6 });
  });

  it('upgrades version 1 tables in place: every old sample had a value, recency starts at 0', async () => {
    const { dir, schema } = await workspace();
    const v1 = readFileSync(new URL('../fixtures/postgres-schema-v1.sql', import.meta.url), 'utf8');
    await adminQuery(v1.replaceAll('__SCHEMA__', schema));
    await adminQuery(`
INSERT INTO "${schema}".model_stats VALUES ('execute-task', 'gpt-4o', 1, 1, 0, 300, 0.5, 800, 1, '2026-03-01T02:00:00.000Z');
INSERT INTO "${schema}".model_outcomes VALUES
  ('a', 'execute-task', 'gpt-4o', true, false, 300, 0.5, 800, '2026-03-01T01:00:00.000Z'),
  ('b', 'execute-task', 'gpt-4o', false, false, 0, 0, NULL, '2026-03-01T02:00:00.000Z');`);
    const store = await open({ dir, url: TEST_PG_URL, schema });
    expect((await adminQuery(`SELECT version FROM "${schema}".schema_version`)).rows).toEqual([
      { version: SCHEMA_VERSION },
    ]);
    expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({
      samples: 2,
      tokenSamples: 2,
      costSamples: 2,
      fastSuccesses: 0,
      slowFailures: 0,
    });
    expect(await store.verify()).toMatchObject({ ok: true, outcomes: 2 });
    await store.record({ taskType: 'execute-task', modelId: 'gpt-4o', success: true, id: 'c' });
    await store.importBaselines({ id: 'unknown-totals', kind: 'legacy-json' }, [
      {
        taskType: 'x',
        modelId: 'y',
        successes: 1,
        failures: 0,
        timeouts: 0,
        totalTokens: null,
        totalCost: null,
        lastUsed: null,
      },
    ]);
    expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({
      samples: 3,
      tokenSamples: 2,
      fastSuccesses: 1,
    });
    expect((await store.verify()).ok).toBe(true);
  });

  it('refuses tables of a newer model-perf, and openStore falls back rather than touch them', async () => {
    const { dir, schema } = await workspace();
    await (await open({ dir, url: TEST_PG_URL, schema })).close();
    await adminQuery(`UPDATE "${schema}".schema_version SET version = 99`);
    await expect(openPostgresStore({ dir, url: TEST_PG_URL, schema })).rejects.toMatchObject({
      code: 'MP_BACKEND_UNAVAILABLE',
      message: expect.stringContaining(`schema version 99, newer than the version ${SCHEMA_VERSION}`),
    });
    const fallback = await openStore({
      dir,
      backend: 'postgres',
      url: TEST_PG_URL,
      postgresSchema: schema,
      logger: silentLogger,
    });
    cleanups.push(() => fallback.close());
    expect(fallback.info).toMatchObject({ backend: 'json', degraded: true });
    expect(fallback.info.reason).toContain('schema version 99');
  });

  it('reports a missing index or a damaged version row in verify(), changing nothing', async () => {
    const { dir, schema } = await workspace();
    const store = await open({ dir, url: TEST_PG_URL, schema });
    await store.record(outcomeAt(0));
    expect(await store.verify()).toMatchObject({ ok: true, integrity: [], outcomes: 1 });
    await adminQuery(`DROP INDEX "${schema}".model_outcomes_time`);
    await adminQuery(`INSERT INTO "${schema}".schema_version VALUES (${SCHEMA_VERSION + 1})`);
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.integrity).toEqual([
      `"${schema}".model_outcomes_time is missing.`,
      `"${schema}".schema_version should hold the one version ${SCHEMA_VERSION}, but holds [${SCHEMA_VERSION}, ${SCHEMA_VERSION + 1}].`,
      'The recount was skipped: the storage must be repaired first.',
    ]);
    expect((await adminQuery(`SELECT count(*)::int AS n FROM "${schema}".schema_version`)).rows).toEqual([{ n: 2 }]);
  });

  it('turns a statement past statementTimeoutMs into MP_LOCKED', async () => {
    const { dir, schema } = await workspace();
    const store = await open({ dir, url: TEST_PG_URL, schema, statementTimeoutMs: 300, busyTimeoutMs: 60_000 });
    const admin = await adminSession();
    await admin.query('BEGIN');
    await admin.query(`LOCK TABLE "${schema}".model_stats IN ACCESS EXCLUSIVE MODE`);
    const started = Date.now();
    await expect(store.listStats()).rejects.toMatchObject({
      code: 'MP_LOCKED',
      message: expect.stringContaining('statementTimeoutMs (300 ms)'),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    await admin.query('ROLLBACK');
    expect(await store.listStats()).toEqual([]);
  });

  it('turns a row lock held past busyTimeoutMs into MP_LOCKED, and openStore does not fall back for it', async () => {
    const { dir, schema } = await workspace();
    const store = await openStore({
      dir,
      backend: 'postgres',
      url: TEST_PG_URL,
      postgresSchema: schema,
      busyTimeoutMs: 200,
      logger: silentLogger,
    });
    cleanups.push(() => store.close());
    await store.record(outcomeAt(0, { id: 'first' }));
    const admin = await adminSession();
    await admin.query('BEGIN');
    await admin.query(`SELECT * FROM "${schema}".model_stats FOR UPDATE`);
    await expect(store.record(outcomeAt(1, { id: 'second' }))).rejects.toMatchObject({ code: 'MP_LOCKED' });
    // A busy server is not an absent one: nothing went to local files, and the store still runs on PostgreSQL.
    expect(store.info).toMatchObject({ backend: 'postgres', degraded: false });
    expect(await readdir(dir)).toEqual(['model-perf.snapshot.json']);
    await admin.query('ROLLBACK');
    expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 1 });
    await store.record(outcomeAt(1, { id: 'second' }));
    expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 2 });
  });

  it('keeps at most poolSize connections, however many calls come at once', async () => {
    const { dir, schema } = await workspace();
    const applicationName = `model-perf-pool-${schema}`;
    const url = new URL(TEST_PG_URL);
    url.searchParams.set('application_name', applicationName);
    const store = await open({ dir, url: url.toString(), schema, poolSize: 2 });
    const counts: number[] = [];
    const sample = async (): Promise<void> => {
      const result = await adminQuery('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [
        applicationName,
      ]);
      counts.push(Number(result.rows[0]?.n));
    };
    const calls = Array.from({ length: 300 }, (_, index) => store.record(outcomeAt(index % 24, { id: `p-${index}` })));
    await Promise.all([...calls, sample(), sample()]);
    await sample();
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
    expect(counts.at(-1)).toBeGreaterThan(0);
    expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 300 });
  });

  it('rejects bad options with MP_CONFIG, never echoing the URL', async () => {
    const base = { dir: tmpdir(), url: TEST_PG_URL };
    for (const [options, field] of [
      [{ ...base, schema: 'Model-Perf' }, 'schema'],
      [{ ...base, schema: 'pg_catalog' }, 'schema'],
      [{ ...base, poolSize: 0 }, 'poolSize'],
      [{ ...base, statementTimeoutMs: -1 }, 'statementTimeoutMs'],
      [{ ...base, url: 'mysql://root:hunter2@db/x' }, 'url'],
    ] as const) {
      const error = await openPostgresStore(options).catch((caught: unknown) => caught);
      expect(error, field).toMatchObject({ code: 'MP_CONFIG', field });
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
