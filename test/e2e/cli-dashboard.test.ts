import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, makeTempDir, parseJson, runCli } from '../support/cli-runner.js';
import { outcomesOf, seedStore } from '../support/cli-seed.js';

let work: Awaited<ReturnType<typeof makeTempDir>>;
const cli = (...args: string[]) => runCli([...args, '--dir', 'store'], { cwd: work.dir });

beforeAll(async () => {
  work = await makeTempDir('cli-dashboard');
  await seedStore(join(work.dir, 'store'), 'auto', [
    ...outcomesOf('execute-task', 'gpt-4o', 8, 10),
    ...outcomesOf('execute-task', 'claude-opus', 9, 10),
  ]);
});

afterAll(() => work.remove());

/** Resolves with the first stdout line of a long-running child. */
function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end !== -1) resolve(buffered.slice(0, end));
    });
    child.on('exit', (code) => reject(new Error(`the dashboard exited with ${code} before printing its URL`)));
  });
}

describe('model-perf dashboard', () => {
  it('writes <dir>/dashboard.html by default and prints its path', async () => {
    const run = await cli('dashboard');
    expect(run.code).toBe(0);
    const file = join(work.dir, 'store', 'dashboard.html');
    expect(run.stdout.trim()).toBe(file);
    const html = await readFile(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('execute-task');
  });

  it('writes --out FILE, and says where as JSON', async () => {
    const run = await cli('dashboard', '--out', 'page.html', '--days', '7', '--json');
    expect(run.code).toBe(0);
    expect(parseJson(run)).toEqual({ file: join(work.dir, 'page.html') });
    expect(await readFile(join(work.dir, 'page.html'), 'utf8')).toContain('claude-opus');
  });

  it.each([
    { args: ['--port', '8080'], message: '--port goes with --serve' },
    { args: ['--serve', '--out', 'x.html'], message: '--out and --serve cannot be used together' },
    { args: ['--serve', '--port', 'http'], message: '--port expects a whole number >= 0 and <= 65535' },
  ])('$args is a usage error', async ({ args, message }) => {
    const run = await cli('dashboard', ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('--serve --port 0 serves HTML on 127.0.0.1 until SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, [CLI, 'dashboard', '--serve', '--port', '0', '--dir', 'store'], {
      cwd: work.dir,
      env: cleanEnv(),
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    try {
      const url = await firstLine(child);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('gpt-4o');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('Stopped (SIGTERM).');
  });

  it('fails with exit 1 when the port is taken', async () => {
    const first = spawn(process.execPath, [CLI, 'dashboard', '--serve', '--json', '--dir', 'store'], {
      cwd: work.dir,
      env: cleanEnv(),
    });
    try {
      const { url } = JSON.parse(await firstLine(first)) as { url: string };
      const run = await cli('dashboard', '--serve', '--port', new URL(url).port);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('error MP_CONFIG: The dashboard cannot listen on 127.0.0.1:');
    } finally {
      // Wait for it to exit: it closes its store (writing the snapshot) while the work dir is removed.
      const exited = new Promise((resolve) => first.once('exit', resolve));
      first.kill('SIGINT');
      await exited;
    }
  });
});
