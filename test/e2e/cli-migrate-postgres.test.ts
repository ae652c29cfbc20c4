import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/backends/postgres/index.js';
import { openStore, silentLogger } from '../../src/index.js';
import { cleanEnv, makeTempDir, parseJson, runCli } from '../support/cli-runner.js';
import { outcomesOf } from '../support/cli-seed.js';
import { dropSchemas, schemaFor, TEST_PG_URL } from '../support/postgres.js';

const LEGACY = { 'plan-slice': { 'claude-opus': { successes: 5, failures: 5 } } };
const PEER = { id: 'peer-a', exportedAt: '2026-02-01T00:00:00.000Z' };

let work: Awaited<ReturnType<typeof makeTempDir>>;
let store: string;
let schema: string;
const cli = (args: string[], env: NodeJS.ProcessEnv = { MODEL_PERF_PG_URL: TEST_PG_URL }) =>
  runCli([...args, '--dir', store], { cwd: work.dir, env: cleanEnv(env) });

interface PushResult {
  to: string;
  location: string;
  from: { backend: string };
  outcomes: number;
  imports: number;
  federatedSources: number;
}

/** A local SQLite store with 2,500 outcomes, a legacy baseline and a federated prior. */
async function seedLocal(): Promise<void> {
  await mkdir(store);
  await writeFile(join(store, 'model-performance.json'), JSON.stringify(LEGACY));
  const local = await openStore({ dir: store, backend: 'sqlite', fallback: false, logger: silentLogger });
  try {
    await local.recordMany([
      ...outcomesOf('execute-task', 'gpt-4o', 1500, 2000),
      ...outcomesOf('execute-task', 'claude-opus', 300, 500),
    ]);
    await local.replaceFederated(PEER, [
      {
        taskType: 'execute-task',
        modelId: 'gemini',
        successes: 9,
        failures: 1,
        timeouts: 0,
        totalTokens: 10,
        totalCost: 0.1,
        lastUsed: null,
      },
    ]);
  } finally {
    await local.close();
  }
}

/** Counts on the server, read without the CLI. */
async function serverCounts(): Promise<Array<[string, string, number, number]>> {
  const server = await openPostgresStore({ dir: store, url: TEST_PG_URL, schema, logger: silentLogger });
  try {
    expect((await server.verify()).ok).toBe(true);
    return (await server.listStats()).map((row) => [row.taskType, row.modelId, row.successes, row.failures]);
  } finally {
    await server.close();
  }
}

beforeEach(async () => {
  work = await makeTempDir('cli-migrate-postgres');
  store = join(work.dir, 'store');
  schema = schemaFor(store);
});

afterEach(async () => {
  await work.remove();
  await dropSchemas([schema]);
});

describe('model-perf migrate --to postgres', () => {
  it('pushes outcomes, baselines and federated priors, with progress, and nothing twice on a second run', async () => {
    await seedLocal();
    const run = await cli(['migrate', '--to', 'postgres', '--schema', schema, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(parseJson<PushResult>(run)).toEqual({
      to: 'postgres',
      location: `${TEST_PG_URL} (schema ${schema})`,
      from: { backend: 'sqlite', dir: store },
      outcomes: 2500,
      imports: 1,
      federatedSources: 1,
    });
    expect(run.stderr).toContain('push: 2,500/2,500 (100%)');
    const expected: Array<[string, string, number, number]> = [
      ['execute-task', 'claude-opus', 300, 200],
      ['execute-task', 'gpt-4o', 1500, 500],
      ['plan-slice', 'claude-opus', 5, 5],
    ];
    expect(await serverCounts()).toEqual(expected);

    const again = await cli(['migrate', '--to', 'postgres', '--schema', schema, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(parseJson<PushResult>(again)).toMatchObject({ outcomes: 2500, imports: 0, federatedSources: 1 });
    expect(await serverCounts()).toEqual(expected);
    const server = await openPostgresStore({ dir: store, url: TEST_PG_URL, schema, logger: silentLogger });
    try {
      expect(await server.listFederated()).toEqual([
        expect.objectContaining({ modelId: 'gemini', sourceId: 'peer-a' }),
      ]);
    } finally {
      await server.close();
    }
    // The local store is left as it was: a rollback stays possible.
    expect(existsSync(join(store, 'model-performance.db'))).toBe(true);
  });

  it('takes --url over the environment and never prints its password', async () => {
    await seedLocal();
    const url = new URL(TEST_PG_URL);
    url.password = 'pw-not-for-logs';
    const run = await cli(['migrate', '--to', 'postgres', '--url', url.toString(), '--schema', schema], {});
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Pushed 2,500 outcomes');
    expect(run.stdout).toContain(':***@');
    expect(`${run.stdout}${run.stderr}`).not.toContain('pw-not-for-logs');
  });

  it('fails with MP_BACKEND_UNAVAILABLE (exit 1) when the server is out of reach, recording nothing', async () => {
    await seedLocal();
    const before = (await readdir(store)).sort();
    const unreachable = new URL(TEST_PG_URL);
    unreachable.port = '1';
    unreachable.password = 'pw-not-for-logs';
    const run = await cli(['migrate', '--to', 'postgres', '--schema', schema], {
      MODEL_PERF_PG_URL: unreachable.toString(),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `error MP_BACKEND_UNAVAILABLE: PostgreSQL at postgres://${unreachable.username}:***@${unreachable.host}${unreachable.pathname}`,
    );
    expect(run.stderr).not.toContain('pw-not-for-logs');
    // No fallback for a push: no local JSON files that would pretend to have reached the server.
    expect((await readdir(store)).sort()).toEqual(before);
  });

  it('doctor names the server a PostgreSQL dir runs on, without its password', async () => {
    await seedLocal();
    await writeFile(join(store, 'model-perf.config.json'), JSON.stringify({ postgresSchema: schema }));
    const url = new URL(TEST_PG_URL);
    url.password = 'pw-not-for-logs';
    const run = await cli(['doctor', '--backend', 'postgres'], { MODEL_PERF_PG_URL: url.toString() });
    expect(run.code, run.stderr).toBe(0);
    url.password = '***';
    expect(run.stdout).toMatch(/^backend\s+postgres$/m);
    expect(run.stdout).toContain(`\nlocation            ${url.toString()} (schema ${schema})\n`);
    expect(`${run.stdout}${run.stderr}`).not.toContain('pw-not-for-logs');
  });

  it.each([
    { args: ['--url', TEST_PG_URL], message: '--url goes with --to postgres' },
    { args: ['--to', 'postgres', 'file.json'], message: '--to postgres takes no FILE' },
    { args: ['--to', 'postgres', '--backend', 'postgres'], message: '--backend names its backend' },
    { args: ['--to', 'mysql'], message: '--to expects one of json, postgres' },
  ])('$args is a usage error (exit 2)', async ({ args, message }) => {
    await seedLocal();
    const run = await cli(['migrate', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
