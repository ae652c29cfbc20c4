import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, cleanEnv } from './cli-runner.js';

/** What one CLI run against a hostile store dir did: its bytes, whether it had to be killed, its peak memory. */
export interface BoundedRun {
  code: number | null;
  /** Raw bytes, so that an escape sequence is seen as the terminal would get it (no PTY involved). */
  stdout: Buffer;
  stderr: Buffer;
  /** Killed after `limitMs`: the command hung. */
  timedOut: boolean;
  /** The highest resident set size seen (VmHWM from /proc), in bytes. */
  peakRssBytes: number;
}

export const HANG_LIMIT_MS = 30_000;
export const MEMORY_LIMIT_BYTES = 300 * 1024 * 1024;

function highWaterMark(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * Runs `model-perf ...args`, killing it after `limitMs` (a hang) or once it holds more than twice the
 * memory limit (a runaway read would otherwise take the machine down before the time limit).
 */
export function runBounded(
  args: readonly string[],
  { cwd, env = cleanEnv(), limitMs = HANG_LIMIT_MS }: { cwd: string; env?: NodeJS.ProcessEnv; limitMs?: number },
): Promise<BoundedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let peakRssBytes = 0;
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const sample = setInterval(() => {
      if (child.pid === undefined) return;
      peakRssBytes = Math.max(peakRssBytes, highWaterMark(child.pid) ?? 0);
      if (peakRssBytes > 2 * MEMORY_LIMIT_BYTES) child.kill('SIGKILL');
    }, 25);
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sample);
      clearTimeout(deadline);
      resolve({ code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), timedOut, peakRssBytes });
    });
  });
}

/** True when the bytes hold an ESC or a C1 CSI (U+009B as UTF-8) that a terminal would act on. */
export function hasRawEscape(bytes: Buffer): boolean {
  return bytes.includes(0x1b) || bytes.includes(Buffer.from('\u009b'));
}
