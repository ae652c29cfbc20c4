import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, hasAnsiEscape, makeTempDir, parseJson, runCli, STACK_LINE } from '../support/cli-runner.js';
import { outcomesOf, seedStore } from '../support/cli-seed.js';

const COMMANDS = [
  'doctor',
  'rank',
  'report',
  'trend',
  'ab',
  'verify',
  'record',
  'migrate',
  'export',
  'import',
  'import-table',
  'backups',
  'dashboard',
  'demo',
  'help',
];

interface ErrorDocument {
  error: { code: string; message: string; hint: string; exitCode: number };
}

let work: Awaited<ReturnType<typeof makeTempDir>>;
const cli = (...args: string[]) => runCli(args, { cwd: work.dir });

beforeAll(async () => {
  work = await makeTempDir('cli-usage');
  await seedStore(`${work.dir}/.model-perf`, 'auto', [
    ...outcomesOf('execute-task', 'gpt-4o', 9, 10),
    ...outcomesOf('execute-task', 'llama-70b', 2, 10),
  ]);
});

afterAll(() => work.remove());

describe('model-perf --version and --help', () => {
  it('prints the version of package.json', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const run = await cli('--version');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(manifest.version);
    expect(parseJson<{ version: string }>(await cli('--version', '--json')).version).toBe(manifest.version);
  });

  it('lists every command in the general help, and `help` prints the same', async () => {
    const run = await cli('--help');
    expect(run.code).toBe(0);
    for (const name of COMMANDS) expect(run.stdout).toContain(`  ${name} `);
    expect((await cli('help')).stdout).toBe(run.stdout);
  });

  it.each(COMMANDS)('explains %s with --help, and help <command> says the same', async (name) => {
    const run = await cli(name, '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: model-perf ${name}\\b`));
    expect(run.stdout).toContain('Global options:');
    expect((await cli('help', name)).stdout).toBe(run.stdout);
  });

  it('shows the help even when the rest of the line is wrong', async () => {
    const run = await cli('rank', '--bogus', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: model-perf rank <taskType>');
  });
});

describe('usage errors exit 2 with a code and a hint', () => {
  it.each([
    { args: [], message: 'Missing command' },
    { args: ['frobnicate'], message: 'Unknown command "frobnicate"' },
    { args: ['rank', 'execute-task', '--bogus'], message: 'Unknown option --bogus for rank' },
    { args: ['rank'], message: 'Missing <taskType>' },
    { args: ['trend'], message: 'Missing <taskType>' },
    {
      args: ['rank', 'execute-task', '--min-samples', 'ten'],
      message: '--min-samples expects a whole number >= 0, got "ten"',
    },
    {
      args: ['rank', 'execute-task', '--min-samples', '-1'],
      message: '--min-samples expects a whole number >= 0, got "-1"',
    },
    { args: ['rank', 'execute-task', '--strategy', 'best'], message: '--strategy expects one of wilson, raw' },
    { args: ['rank', 'a', 'b'], message: 'Unexpected argument "b" for rank' },
    { args: ['report', '--dir'], message: "Option '--dir <value>' argument missing" },
    { args: ['report', '--backend', 'mysql'], message: '--backend expects one of auto, sqlite, json' },
    { args: ['ab', 'execute-task', '--since', 'last tuesday'], message: '--since expects a date' },
    { args: ['help', 'frobnicate'], message: 'Unknown command "frobnicate"' },
  ])('model-perf $args', async ({ args, message }) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).not.toContain('error');
    expect(run.stderr).toContain(`error MP_USAGE: ${message}`);
    expect(run.stderr).toMatch(/^hint: run `model-perf( \w[\w-]*)? --help` for the usage$/m);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('reports a usage error as JSON on stdout with --json', async () => {
    const run = await cli('rank', '--json');
    expect(run.code).toBe(2);
    expect(parseJson<ErrorDocument>(run).error).toMatchObject({
      code: 'MP_USAGE',
      message: 'Missing <taskType>. Known task types: execute-task',
      exitCode: 2,
    });
  });

  it('takes global options before the command as well as after it', async () => {
    const before = await runCli(['--dir', '.model-perf', '--json', 'rank', 'execute-task'], { cwd: work.dir });
    const after = await cli('rank', 'execute-task', '--json', '--dir', '.model-perf');
    expect(before.code).toBe(0);
    expect(before.stdout).toBe(after.stdout);
  });
});

describe('failures exit 1', () => {
  it('says that a query on a store that does not exist has no store, and creates none', async () => {
    const run = await cli('report', '--dir', 'no-such-store');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error MP_NO_STORE: There is no store in');
    expect(run.stderr).toMatch(/^hint: /m);
    expect((await cli('doctor', '--dir', 'no-such-store', '--json')).code).toBe(0);
    expect(existsSync(join(work.dir, 'no-such-store'))).toBe(false);
  });

  it('shows the stack trace only with --debug', async () => {
    expect((await cli('rank', 'no-such-task')).stderr).not.toMatch(STACK_LINE);
    const run = await cli('rank', 'no-such-task', '--debug');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(STACK_LINE);
  });
});

describe('colour', () => {
  it('prints no escape codes when stdout and stderr are not terminals, NO_COLOR or not', async () => {
    for (const env of [cleanEnv(), cleanEnv({ NO_COLOR: '1' })]) {
      const report = await runCli(['report'], { cwd: work.dir, env });
      const failure = await runCli(['rank'], { cwd: work.dir, env });
      expect(report.code).toBe(0);
      expect(report.stdout).toContain('gpt-4o');
      expect(hasAnsiEscape(report.stdout + report.stderr + failure.stderr)).toBe(false);
    }
  });

  // util-linux `script` runs the CLI on a pseudo-terminal: the only way to see what a terminal gets.
  const inTerminal = async (env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> => {
    expect(existsSync('/usr/bin/script'), '/usr/bin/script (util-linux) runs the CLI on a terminal').toBe(true);
    const command = [process.execPath, CLI, ...(args.length === 0 ? ['report'] : args)]
      .map((arg) => `'${arg}'`)
      .join(' ');
    const { stdout } = await promisify(execFile)('/usr/bin/script', ['-qec', command, '/dev/null'], {
      cwd: work.dir,
      env,
    });
    return stdout;
  };

  it('colours a terminal, unless NO_COLOR is set', async () => {
    expect(hasAnsiEscape(await inTerminal(cleanEnv()))).toBe(true);
    const plain = await inTerminal(cleanEnv({ NO_COLOR: '1' }));
    expect(plain).toContain('gpt-4o');
    expect(hasAnsiEscape(plain)).toBe(false);
  });

  it('draws a progress bar on a terminal, in place', async () => {
    const output = await inTerminal(cleanEnv({ NO_COLOR: '1' }), 'demo', '--dir', 'demo-in-terminal');
    // Each redraw goes back to the line's start and erases it (ESC [2K).
    expect(output).toContain('\r\u001b[2Ksimulate ██');
    expect(output).toContain('████ 100% 720/720\r\n');
    expect(output).not.toContain('simulate: ');
  });

  it('is a bin: the built file starts with a node shebang', async () => {
    expect((await readFile(CLI, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
