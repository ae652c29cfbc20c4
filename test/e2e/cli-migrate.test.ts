import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJson, runCli } from '../support/cli-runner.js';
import { outcomesOf, seedStore } from '../support/cli-seed.js';

const LEGACY = {
  'execute-task': {
    'gpt-4o': { successes: 42, failures: 3, successRate: 0.93, timeouts: 1, totalTokens: 1200, totalCost: 0.4 },
    'claude-opus': { successes: 10, failures: 0 },
  },
  'plan-slice': { 'claude-opus': { successes: 5, failures: 5 } },
};

let work: Awaited<ReturnType<typeof makeTempDir>>;
let store: string;
const cli = (...args: string[]) => runCli([...args, '--dir', store], { cwd: work.dir });

beforeEach(async () => {
  work = await makeTempDir('cli-migrate');
  store = join(work.dir, 'store');
  await mkdir(store);
  await writeFile(join(store, 'model-performance.json'), JSON.stringify(LEGACY));
});

afterEach(() => work.remove());

interface Checkup {
  dirExists: boolean;
  store: { backend: string; degraded: boolean; reason: string; files: Array<{ name: string }> } | null;
  legacy: { status: string; pairs?: number };
  backups: Array<{ name: string }>;
  warnings: string[];
  nodeVersion: string;
}

describe('model-perf doctor', () => {
  it('tells the backend and why, the legacy data it would import, and changes nothing', async () => {
    const run = await cli('doctor', '--json');
    expect(run.code).toBe(0);
    const checkup = parseJson<Checkup>(run);
    expect(checkup).toMatchObject({
      dirExists: true,
      nodeVersion: process.versions.node,
      legacy: { status: 'valid', pairs: 3 },
    });
    expect(checkup.store?.backend).toBe('sqlite');
    expect(checkup.store?.reason).toMatch(/^SQLite: Node .* satisfies/);
    expect(existsSync(join(store, 'model-performance.json'))).toBe(true);
    const human = await cli('doctor');
    expect(human.stdout).toMatch(/^backend\s+sqlite$/m);
    expect(human.stdout).toMatch(/^legacy data\s+.*model-performance\.json: 3 task\/model pairs over 2 task types/m);
  });

  it('tries a store dir that does not exist in a temporary dir, and does not create it', async () => {
    const run = await runCli(['doctor', '--json', '--dir', 'nowhere', '--backend', 'json'], { cwd: work.dir });
    expect(run.code).toBe(0);
    const checkup = parseJson<Checkup & { probed: boolean }>(run);
    expect(checkup).toMatchObject({ dirExists: false, probed: true, legacy: { status: 'none' }, backups: [] });
    expect(checkup.store?.backend).toBe('json');
    expect(existsSync(join(work.dir, 'nowhere'))).toBe(false);
  });
});

describe('model-perf doctor on a store that cannot open', () => {
  it('reports the cause under the backend, with exit 0', async () => {
    await writeFile(join(store, 'model-perf.config.json'), '{"backend": "mysql"}');
    const run = await cli('doctor', '--json');
    expect(run.code).toBe(0);
    const checkup = parseJson<{ store: { error: { code: string; message: string } }; configFile: string }>(run);
    expect(checkup.store.error.code).toBe('MP_CONFIG');
    expect(checkup.configFile).toBe(join(store, 'model-perf.config.json'));
    expect((await cli('doctor')).stdout).toMatch(/^backend\s+cannot open: MP_CONFIG: /m);
  });
});

describe('model-perf backups', () => {
  it('prunes archives older than the retention, and only those', async () => {
    await mkdir(join(store, 'backups'));
    const old = 'model-performance.imported-20200101T000000000Z-0123456789ab.json';
    await writeFile(join(store, 'backups', old), '{}');
    await writeFile(join(store, 'backups', 'quarantined.json'), '{}');
    const listed = parseJson<{ backups: Array<{ name: string }> }>(await cli('backups', '--json'));
    expect(listed.backups.map((file) => file.name)).toEqual([old, 'quarantined.json']);
    const pruned = await cli('backups', 'prune', '--retention-days', '30');
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`Removed 1 archive:\n  ${join(store, 'backups', old)}`);
    expect(await readdir(join(store, 'backups'))).toEqual(['quarantined.json']);
  });

  it.each([
    { args: ['clean'], message: 'Unknown action "clean"' },
    { args: ['list', '--retention-days', '3'], message: '--retention-days goes with `backups prune`' },
  ])('$args is a usage error', async ({ args, message }) => {
    const run = await cli('backups', ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('model-perf migrate', () => {
  it('fails (exit 1) on a store dir that does not exist, and creates none', async () => {
    const run = await runCli(['migrate', '--dir', 'nowhere'], { cwd: work.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error MP_NO_STORE');
    expect(existsSync(join(work.dir, 'nowhere'))).toBe(false);
  });

  it('--dry-run says what would be imported and writes nothing', async () => {
    const run = await cli('migrate', '--dry-run', '--json');
    expect(run.code).toBe(0);
    expect(parseJson(run)).toMatchObject({
      dryRun: true,
      legacy: { status: 'valid', pairs: 3, successes: 57, failures: 8 },
    });
    expect(await readdir(store)).toEqual(['model-performance.json']);
  });

  it('imports the legacy file, archives it in backups/, and imports nothing the second time', async () => {
    const run = await cli('migrate', '--json');
    expect(run.code).toBe(0);
    const result = parseJson<{ absorbed: boolean; archived: string[]; backend: string }>(run);
    expect(result).toMatchObject({ absorbed: true, backend: 'sqlite' });
    expect(result.archived).toHaveLength(1);
    expect(existsSync(join(store, 'model-performance.json'))).toBe(false);
    // Plain progress lines on stderr when it is not a terminal.
    expect(run.stderr).toContain('migrate: 3/3 (100%)');

    const csv = (await cli('export', '--format', 'csv')).stdout;
    expect(csv).toContain('execute-task,gpt-4o,45,42,3,1,');

    const again = parseJson<{ absorbed: boolean; legacy: { status: string } }>(await cli('migrate', '--json'));
    expect(again).toMatchObject({ absorbed: false, legacy: { status: 'none' } });
    expect((await cli('export', '--format', 'csv')).stdout).toBe(csv);

    const backups = parseJson<{ backups: Array<{ path: string }> }>(await cli('backups', 'list', '--json'));
    expect(backups.backups.map((file) => file.path)).toEqual(result.archived);
    expect(parseJson<{ removed: string[] }>(await cli('backups', 'prune', '--json')).removed).toEqual([]);
    const doctor = parseJson<Checkup>(await cli('doctor', '--json'));
    expect(doctor.backups).toHaveLength(1);
  });

  it('refuses an invalid legacy file (exit 1) and leaves it as it is', async () => {
    const legacy = join(store, 'model-performance.json');
    await writeFile(legacy, '{"execute-task": {"gpt-4o": {"successes": -1}}}');
    const run = await cli('migrate');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error MP_INVALID_IMPORT:');
    expect(await readFile(legacy, 'utf8')).toBe('{"execute-task": {"gpt-4o": {"successes": -1}}}');
    const dryRun = await cli('migrate', '--dry-run', '--json');
    expect(parseJson(dryRun)).toMatchObject({ legacy: { status: 'invalid' } });
  });

  it('--to json FILE rolls back: the stats in the legacy format', async () => {
    await cli('migrate', '--quiet');
    const run = await cli('migrate', '--to', 'json', 'rollback.json', '--json');
    expect(run.code).toBe(0);
    expect(parseJson(run)).toMatchObject({ to: 'json', pairs: 3, taskTypes: 2 });
    const rolledBack = JSON.parse(await readFile(join(work.dir, 'rollback.json'), 'utf8'));
    expect(rolledBack['execute-task']['gpt-4o']).toMatchObject({ successes: 42, failures: 3, timeouts: 1 });
  });

  it.each([
    { args: ['--to', 'csv', 'x'], message: '--to expects one of json' },
    { args: ['--to', 'json'], message: 'Missing FILE' },
    { args: ['--to', 'json', 'x', '--dry-run'], message: '--to and --dry-run cannot be used together' },
    { args: ['x'], message: 'Unexpected argument "x"' },
  ])('$args is a usage error', async ({ args }) => {
    expect((await cli('migrate', ...args)).code).toBe(2);
  });
});

describe('model-perf export', () => {
  beforeEach(async () => {
    await seedStore(store, 'auto', [
      ...outcomesOf('review-code', '=HYPERLINK("x")', 3, 4),
      ...outcomesOf('review-code', 'm,2', 1, 1),
    ]);
  });

  it('writes csv rows to stdout, quoting commas and defusing formulas', async () => {
    const run = await cli('export', '--format', 'csv', '--min-samples', '2');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'taskType,modelId,samples,successes,failures,timeouts,successRate,totalTokens,tokenSamples,totalCost,costSamples,' +
        'totalLatencyMs,latencySamples,lastUsed,avgTokens,avgCost,avgLatencyMs',
    );
    // The legacy pairs came in with the store's first open; --min-samples 2 leaves out "m,2".
    expect(lines.some((line) => line.startsWith(`review-code,"'=HYPERLINK(""x"")",4,3,1,`))).toBe(true);
    expect(run.stdout).not.toContain('m,2');
    expect((await cli('export', '--format', 'csv')).stdout).toContain('review-code,"m,2",1,1,0,');
  });

  it('writes a file with --out and says where, with progress on stderr unless --quiet', async () => {
    const run = await cli('export', '--format', 'legacy-json', '--out', 'legacy.json', '--json');
    expect(run.code).toBe(0);
    const result = parseJson<{ file: string; rows: number; format: string }>(run);
    expect(result).toMatchObject({ format: 'legacy-json', file: join(work.dir, 'legacy.json'), rows: 5 });
    expect(run.stderr).toContain('export: 5/5 (100%)');
    const legacy = JSON.parse(await readFile(result.file, 'utf8'));
    expect(legacy['review-code']['m,2']).toMatchObject({ successes: 1, failures: 0 });
    const quiet = await cli('export', '--format', 'csv', '--out', 'stats.csv', '--quiet');
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toContain('Wrote 5 rows (csv) to');
  });

  it('prints the legacy document on stdout as JSON', async () => {
    const run = await cli('export', '--format', 'legacy-json', '--json');
    expect(parseJson<Record<string, unknown>>(run)).toHaveProperty('plan-slice');
  });

  it.each([
    { args: ['--format', 'xml'], message: '--format expects one of' },
    { args: ['--format', 'legacy-json', '--min-samples', '3'], message: '--min-samples does not apply' },
    { args: ['--format', 'csv', '--json'], message: '--json with --format csv needs --out FILE' },
  ])('$args is a usage error', async ({ args, message }) => {
    const run = await cli('export', ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
