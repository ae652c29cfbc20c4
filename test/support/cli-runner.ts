import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildResult, runChild } from './children.js';

/** The built bin: the e2e tests run what `npm install -g` would install. */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type CliRun = ChildResult;

/**
 * The environment of a run: none of the caller's model-perf settings or colour switches leak in, so a
 * developer's MODEL_PERF_DIR or FORCE_COLOR cannot change what a test sees.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'MODEL_PERF_DIR',
    'MODEL_PERF_BACKEND',
    'MODEL_PERF_PG_URL',
    'NO_COLOR',
    'FORCE_COLOR',
    'NODE_DISABLE_COLORS',
  ]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

/** Runs `model-perf ...args` on this test's Node, in `cwd`, and collects its output. */
export function runCli(
  args: readonly string[],
  { cwd, env }: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  return runChild([CLI, ...args], { cwd, env: env ?? cleanEnv() });
}

/** The one JSON document a --json run prints on stdout. */
export function parseJson<Shape>(run: CliRun): Shape {
  const lines = run.stdout.trimEnd().split('\n');
  if (lines.length !== 1) throw new Error(`expected one line of JSON on stdout, got:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(lines[0] ?? '') as Shape;
}

export async function makeTempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `model-perf-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A stack trace line: errors must show none unless --debug asks for it. */
export const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

/** True when the text holds an ANSI escape sequence (every colour starts with ESC [). */
export function hasAnsiEscape(text: string): boolean {
  return text.includes('\u001b[');
}
