import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, parseJson, runCli } from '../support/cli-runner.js';

interface DemoResult {
  dir: string;
  dirState: 'new' | 'replaced' | 'shared';
  backend: string;
  seed: number;
  days: number;
  outcomes: number;
  elapsedMs: number;
  dashboard: string;
  degradation: { modelId: string; taskType: string; shareBefore: number; shareAfter: number };
  report: { tasks: Array<{ taskType: string; samples: number; models: Array<{ modelId: string }> }> };
}

let work: Awaited<ReturnType<typeof makeTempDir>>;
const cli = (...args: string[]) => runCli(args, { cwd: work.dir });

beforeAll(async () => {
  work = await makeTempDir('cli-demo');
});

afterAll(() => work.remove());

describe('model-perf demo', () => {
  it('simulates 30 days into .model-perf-demo in under 10 s, then prints the report and the dashboard path', async () => {
    const started = Date.now();
    const run = await cli('demo');
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const dir = join(work.dir, '.model-perf-demo');
    expect(run.stdout).toMatch(/^Simulated [\d,]+ dispatches over 30 days \(4 task types, 8 models, seed 42\)/);
    expect(run.stdout).toMatch(/^gpt-4o degraded on day 15: /m);
    // The report flags it too: its last 14 days against the days before.
    expect(run.stdout).toMatch(/^2 +gpt-4o .*↓ drift/m);
    expect(run.stdout).toMatch(/^drift +gpt-4o fell to [\d.]+% in the last 14 days/m);
    for (const taskType of ['execute-task', 'plan-slice', 'review-code', 'summarize'])
      expect(run.stdout).toContain(taskType);
    expect(run.stdout).toContain(`Dashboard: ${join(dir, 'dashboard.html')}`);
    expect(run.stdout).toMatch(/^Finished in \d+\.\d s\.$/m);
    expect(await readFile(join(dir, 'dashboard.html'), 'utf8')).toContain('claude-sonnet');
  });

  it('is deterministic: the same seed writes the same outcomes, and a rerun replaces its own store', async () => {
    const dir = join(work.dir, 'seeded');
    const first = parseJson<DemoResult>(await cli('demo', '--dir', dir, '--seed', '7', '--json', '--quiet'));
    const second = parseJson<DemoResult>(await cli('demo', '--dir', dir, '--seed', '7', '--json', '--quiet'));
    expect(first.dirState).toBe('new');
    expect(second.dirState).toBe('replaced');
    expect(second.outcomes).toBe(first.outcomes);
    expect(second.report).toEqual(first.report);
    expect(first.outcomes).toBeGreaterThan(3000);
    expect(first.report.tasks.map((task) => task.taskType).sort()).toEqual([
      'execute-task',
      'plan-slice',
      'review-code',
      'summarize',
    ]);
    expect(new Set(first.report.tasks.flatMap((task) => task.models.map((model) => model.modelId))).size).toBe(8);
    // The runtime notices the degradation: the model loses most of the calls it had.
    expect(first.degradation.shareAfter).toBeLessThan(first.degradation.shareBefore / 2);
    expect(first.elapsedMs).toBeLessThan(10_000);
    expect(existsSync(first.dashboard)).toBe(true);
  });

  it('takes only a whole number as --seed', async () => {
    const run = await cli('demo', '--seed', '1.5', '--dir', 'x');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--seed expects a whole number');
  });

  it('refuses a dir that holds something it did not make (exit 1), unless --force, which deletes nothing', async () => {
    const dir = join(work.dir, 'real-store');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const refused = await cli('demo', '--dir', dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error MP_DIR_IN_USE:');
    expect(refused.stderr).toContain('--force');
    const forced = parseJson<DemoResult>(await cli('demo', '--dir', dir, '--force', '--json', '--quiet'));
    expect(forced.dirState).toBe('shared');
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    // No marker was left: a later demo still refuses to replace this store.
    expect((await cli('demo', '--dir', dir)).code).toBe(1);
  });
});
