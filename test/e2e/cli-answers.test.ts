import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/backends/sqlite/connection.js';
import type { OutcomeInput, VerifyReport } from '../../src/index.js';
import { runChild } from '../support/children.js';
import { CLI, cleanEnv, makeTempDir, parseJson, runCli, STACK_LINE } from '../support/cli-runner.js';
import { outcomesOf, seedStore } from '../support/cli-seed.js';
import { machineNode } from '../support/node-binaries.js';

const DAY_MS = 86_400_000;

interface ErrorDocument {
  error: { code: string; message: string; hint: string; exitCode: number };
}

let work: Awaited<ReturnType<typeof makeTempDir>>;
const cli = (...args: string[]) => runCli(args, { cwd: work.dir });

/** A model that did well for weeks and fails since a few days: the all-time rate hides it. */
function degradingModel(): OutcomeInput[] {
  const now = Date.now();
  return Array.from({ length: 60 }, (_, index) => {
    const recent = index < 20;
    return {
      taskType: 'execute-task',
      modelId: 'gpt-4o',
      success: recent ? index % 4 === 0 : index % 10 !== 0,
      costUsd: 0.02,
      timestamp: new Date(now - (recent ? (index + 1) * 3_600_000 : 20 * DAY_MS + index * 3_600_000)),
    };
  });
}

async function listing(dir: string): Promise<string[]> {
  return (await readdir(join(work.dir, dir))).sort();
}

beforeAll(async () => {
  work = await makeTempDir('cli-answers');
  await seedStore(`${work.dir}/.model-perf`, 'sqlite', [
    ...degradingModel(),
    ...outcomesOf('execute-task', 'claude-opus', 18, 20),
    ...outcomesOf('plan-slice', 'claude-opus', 4, 5),
  ]);
  await mkdir(join(work.dir, 'empty'));
  await writeFile(join(work.dir, 'a-file'), 'not a dir\n');
});

afterAll(() => work.remove());

describe('a name the store does not know exits 1 and lists the names it knows', () => {
  it.each([
    ['rank', 'nonexistent-task'],
    ['trend', 'nonexistent-task'],
    ['ab', 'nonexistent-task'],
  ])('%s %s', async (command, taskType) => {
    const run = await cli(command, taskType);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      "error MP_NOT_FOUND: No outcomes for 'nonexistent-task'. Known task types: execute-task, plan-slice.",
    );
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('ab --models with a model the task never ran', async () => {
    const run = await cli('ab', 'execute-task', '--models', 'gpt-4o,gtp-5', '--json');
    expect(run.code).toBe(1);
    expect(parseJson<ErrorDocument>(run).error.message).toBe(
      "No outcomes for 'gtp-5' on execute-task. Known models: claude-opus, gpt-4o.",
    );
  });

  it('rank without a task type lists the task types in its usage error', async () => {
    const run = await cli('rank');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error MP_USAGE: Missing <taskType>. Known task types: execute-task, plan-slice');
  });
});

describe('recent next to all time', () => {
  it('report flags a model whose last 14 days fell, with the numbers', async () => {
    const run = await cli('report');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^#\s+model\s+samples\s+success\s+last 14d \(n\)\s+drift/m);
    expect(run.stdout).toMatch(/gpt-4o\s+60\s+68\.3%\s+25\.0% \(20\)\s+↓ drift/);
    expect(run.stdout).toMatch(/^drift +gpt-4o fell to 25\.0% in the last 14 days \(20 samples\), from 90\.0% before/m);
    expect(run.stdout).not.toMatch(/claude-opus.*drift/);
  });

  it('report --json carries the recent rate and the drift per model', async () => {
    const report = parseJson<{
      windowDays: number;
      ranksOnWindow: boolean;
      tasks: Array<{ models: Array<{ modelId: string; recent: { samples: number; drift: string | null } }> }>;
    }>(await cli('report', '--json', '--window-days', '3'));
    expect(report).toMatchObject({ windowDays: 3, ranksOnWindow: true });
    const gpt = report.tasks[0]?.models.find((model) => model.modelId === 'gpt-4o');
    expect(gpt?.recent).toMatchObject({ samples: 20, drift: 'down' });
  });

  it('rank --window-days ranks on the window and shows all time next to it', async () => {
    const run = await cli('rank', 'execute-task', '--window-days', '7');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^1\s+claude-opus\s+20\s+90\.0%\s+90\.0% \(20\)/m);
    expect(run.stdout).toMatch(/^2\s+gpt-4o\s+20\s+25\.0%\s+68\.3% \(60\)\s+↓ drift/m);
    expect(run.stdout).toContain('sorted by the lower bound of the wilson 95% interval on the last 7 days');
  });
});

describe('read-only commands never create files', () => {
  it.each([['doctor'], ['report'], ['rank', 'foo'], ['trend', 'foo'], ['ab', 'foo'], ['export'], ['verify']])(
    '%s in an empty dir',
    async (...args) => {
      const run = await cli(...args, '--dir', 'empty');
      if (args[0] === 'doctor') {
        expect(run.code).toBe(0);
        expect(run.stdout).toContain('(no store here yet)');
      } else {
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('error MP_NO_STORE: There is no store in');
        expect(run.stderr).toContain('the dir holds no model-perf files');
      }
      expect(await listing('empty')).toEqual([]);
    },
  );

  it('says plainly that --dir names a file (exit 2), or MODEL_PERF_DIR does (exit 1)', async () => {
    for (const args of [['doctor'], ['rank', 'x'], ['record', '--task', 't', '--model', 'm', '--success']]) {
      const run = await cli(...args, '--dir', 'a-file');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`error MP_USAGE: --dir names a file, not a store dir: ${join(work.dir, 'a-file')}`);
    }
    const fromEnv = await runCli(['report'], { cwd: work.dir, env: cleanEnv({ MODEL_PERF_DIR: 'a-file' }) });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain(
      'error MP_NO_STORE: the store dir ($MODEL_PERF_DIR, else .model-perf) names a file',
    );
  });

  it('migrate prints no progress when there is nothing to migrate', async () => {
    const run = await cli('migrate');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('nothing to migrate');
    expect(run.stderr).not.toContain('migrate:');
  });
});

describe('option errors exit 2 and name the flag', () => {
  it.each([
    {
      args: ['backups', 'prune', '--retention-days', '-3'],
      message: '--retention-days expects a number >= 0, got "-3"',
    },
    {
      args: ['trend', 'execute-task', '--days', '0'],
      message: '--days expects a whole number >= 1 and <= 3653, got "0"',
    },
    { args: ['rank', 'execute-task', '--window-days', '0'], message: '--window-days expects a number > 0' },
    {
      args: ['report', '--window-dyas', '7'],
      message: 'Unknown option --window-dyas for report (did you mean --window-days?)',
    },
    { args: ['rank', 'execute-task', '--strategie', 'raw'], message: '(did you mean --strategy?)' },
    {
      args: ['ab', 'execute-task', '--since', '2026-11-20', '--until', '2026-11-10'],
      message: '--until (2026-11-10) is before --since (2026-11-20)',
    },
    { args: ['ab', 'execute-task', '--since', 'yesterday'], message: 'or an age (7d, 24h), got "yesterday"' },
    { args: ['migrate', '--to', 'postgres'], message: '--to postgres needs the server: set MODEL_PERF_PG_URL' },
  ])('model-perf $args', async ({ args, message }) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error MP_USAGE: `);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('model-perf.config.json');
  });

  it('a missing input file says so, not that the disk may be full', async () => {
    const run = await cli('import', 'no-such-file.json');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^hint: check the path: there is no such file/m);
  });

  it('demo --help states its own --dir default', async () => {
    const run = await cli('demo', '--help');
    expect(run.stdout).toMatch(
      /--dir DIR +where the demo store goes \(default \.model-perf-demo; never \$MODEL_PERF_DIR\)/,
    );
    expect(run.stdout).not.toContain('(default $MODEL_PERF_DIR, else .model-perf)');
  });
});

describe('ab', () => {
  it('compares the A/B pair report names by default, under a readable period', async () => {
    const report = await cli('report');
    const pair = /A\/B +(\S+) leads execute-task .*?\. (\S+) could still be better/.exec(report.stdout);
    const run = await cli('ab', 'execute-task', '--json');
    expect(run.code).toBe(0);
    const comparison = parseJson<{ abPair: string[]; models: Array<{ modelId: string }> }>(run);
    expect(comparison.abPair).toEqual([pair?.[1], pair?.[2]]);
    expect(comparison.models.map((model) => model.modelId).sort()).toEqual([...comparison.abPair].sort());
    const human = await cli('ab', 'execute-task', '--since', '2d');
    expect(human.stdout.split('\n')[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d to now UTC: the A\/B pair `model-perf report` names/,
    );
  });
});

describe('model-perf verify', () => {
  it('reports a clean store (exit 0), then a tampered one (exit 1), as JSON too', async () => {
    await seedStore(`${work.dir}/verified`, 'sqlite', outcomesOf('t', 'm', 3, 4));
    const clean = await cli('verify', '--dir', 'verified', '--json');
    expect(clean.code).toBe(0);
    expect(parseJson<VerifyReport>(clean)).toMatchObject({ ok: true, outcomes: 4, pairs: 1, mismatches: [] });
    const db = new (loadSqlite().DatabaseSync)(join(work.dir, 'verified', 'model-performance.db'));
    db.exec('UPDATE model_stats SET successes = successes + 2');
    db.close();
    const human = await cli('verify', '--dir', 'verified');
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^MISMATCH: checked 4 outcomes/);
    expect(human.stdout).toMatch(/^t +m +successes +5 +3$/m);
    const json = await cli('verify', '--dir', 'verified', '--json');
    expect(json.code).toBe(1);
    expect(parseJson<VerifyReport>(json).mismatches).toEqual([
      { taskType: 't', modelId: 'm', field: 'successes', stored: 5, recounted: 3 },
    ]);
  });
});

describe('on a Node without node:sqlite (the machine Node 20)', () => {
  const node = machineNode();
  const onMachineNode = (...args: string[]) => {
    if (node === undefined) throw new Error('No machine node on PATH: this test needs a Node < 22 to run the CLI on.');
    return runChild([CLI, ...args], { cwd: work.dir, env: cleanEnv(), node });
  };

  it('an explicit --backend sqlite fails with the reason instead of falling back', async () => {
    const run = await onMachineNode('report', '--backend', 'sqlite');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error MP_BACKEND_UNAVAILABLE: SQLite could not start');
  });

  it('a read from the snapshot SQLite left says so on stderr, once', async () => {
    const run = await onMachineNode('report');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('gpt-4o');
    expect(run.stderr.match(/answering from the stats snapshot in .*, not the live store/g)).toHaveLength(1);
  });
});
