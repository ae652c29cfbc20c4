import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, redactUrl } from '../../src/core/options.js';
import { openStore, silentLogger } from '../../src/index.js';
import { decideBackend } from '../../src/open/selection.js';
import { readConfigFile, readEnvironment, readOptions } from '../../src/open/settings.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function configFile(settings: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-pg-settings-'));
  dirs.push(dir);
  await writeFile(join(dir, 'model-perf.config.json'), JSON.stringify(settings));
  return dir;
}

const SECRET = 'hunter2';

describe('PostgreSQL settings', () => {
  it('defaults to the model_perf schema, 4 connections and a 30 s statement timeout, with no URL', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      url: undefined,
      postgresSchema: 'model_perf',
      poolSize: 4,
      statementTimeoutMs: 30_000,
    });
  });

  it('validates options, naming the field and never the URL', () => {
    expect(readOptions({ url: 'postgresql://u:p@db:5432/x', postgresSchema: 'fleet_1', poolSize: 8 })).toEqual({
      url: 'postgresql://u:p@db:5432/x',
      postgresSchema: 'fleet_1',
      poolSize: 8,
    });
    for (const [bad, field] of [
      [{ url: `mysql://root:${SECRET}@db/x` }, 'url'],
      [{ url: `postgres://root:${SECRET}@/x` }, 'url'],
      [{ postgresSchema: 'Fleet' }, 'postgresSchema'],
      [{ postgresSchema: 'pg_temp' }, 'postgresSchema'],
      [{ postgresSchema: 'x'.repeat(64) }, 'postgresSchema'],
      [{ poolSize: 0 }, 'poolSize'],
      [{ poolSize: 1.5 }, 'poolSize'],
      [{ statementTimeoutMs: -1 }, 'statementTimeoutMs'],
      [{ statementTimeoutMs: 2 ** 31 }, 'statementTimeoutMs'],
    ] as const) {
      let error: unknown;
      try {
        readOptions(bad as never);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(bad)).toMatchObject({ code: 'MP_CONFIG', field });
      expect((error as Error).message).not.toContain(SECRET);
    }
  });

  it('reads MODEL_PERF_PG_URL, the place for a URL with a password', () => {
    const url = `postgres://runtime:${SECRET}@db:5432/fleet`;
    expect(readEnvironment({ MODEL_PERF_PG_URL: url })).toEqual({ url });
    expect(readEnvironment({ MODEL_PERF_PG_URL: '' })).toEqual({});
    let error: unknown;
    try {
      readEnvironment({ MODEL_PERF_PG_URL: `db:${SECRET}` });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'MP_CONFIG', message: expect.stringContaining('MODEL_PERF_PG_URL') });
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('refuses a server chosen by the store dir config: url (with a password or not) and backend "postgres"', async () => {
    expect(await readConfigFile(await configFile({ postgresSchema: 'fleet', poolSize: 4 }))).toEqual({
      postgresSchema: 'fleet',
      poolSize: 4,
    });
    const urls = ['postgres://runtime@db/fleet', `postgres://runtime:${SECRET}@db/fleet`];
    for (const settings of [...urls.map((url) => ({ url })), { backend: 'postgres' }]) {
      const error = await readConfigFile(await configFile(settings)).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'MP_CONFIG', field: Object.keys(settings)[0] });
      expect((error as Error).message).toContain('MODEL_PERF_PG_URL');
      expect((error as Error).message).not.toContain(SECRET);
    }
  });

  it('runs PostgreSQL only when asked: auto never picks it, even with a URL', async () => {
    const never = (): Promise<number> => Promise.reject(new Error('the bucket must not be read'));
    const url = 'postgres://db/fleet';
    expect(await decideBackend({ ...DEFAULT_SETTINGS, backend: 'postgres', url }, '20.0.0', never)).toEqual({
      backend: 'postgres',
      reason: 'PostgreSQL: backend "postgres" was requested',
    });
    expect((await decideBackend({ ...DEFAULT_SETTINGS, url }, '24.21.0', never)).backend).toBe('sqlite');
  });

  it('asks for a URL when backend "postgres" has none', async () => {
    const dir = await configFile({});
    await expect(openStore({ dir, backend: 'postgres', logger: silentLogger })).rejects.toMatchObject({
      code: 'MP_CONFIG',
      field: 'url',
      message: expect.stringContaining('MODEL_PERF_PG_URL'),
    });
  });

  it('redacts passwords in user info and query, and hides what is no URL', () => {
    expect(redactUrl(`postgres://runtime:${SECRET}@db:5432/fleet?sslpassword=${SECRET}&application_name=a`)).toBe(
      'postgres://runtime:***@db:5432/fleet?sslpassword=***&application_name=a',
    );
    expect(redactUrl('postgres://runtime@db/fleet')).toBe('postgres://runtime@db/fleet');
    expect(redactUrl(`runtime:${SECRET}@db`)).toBe('(an invalid PostgreSQL URL)');
  });
});
