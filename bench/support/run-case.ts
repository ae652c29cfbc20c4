import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseEntry, CaseInput, ChildMessage, FixturePaths } from './case-types.js';
import { compiled } from './compile.js';
import { type Figure, mergeFigures } from './figures.js';
import { WORK_DIR } from './paths.js';
import type { BenchProfile } from './profile.js';
import type { CaseResult } from './results.js';
import { runChild } from './spawn.js';

const CHILD = compiled('bench/support/child.ts');

function merge(all: Figure[] | undefined, next: readonly Figure[]): Figure[] {
  if (all === undefined) return [...next];
  return all.map((figure) => {
    const more = next.find((candidate) => candidate.id === figure.id);
    return more === undefined ? figure : mergeFigures(figure, more);
  });
}

/** Why a child ended without a result, in words for the table. */
function describeExit(code: number | null, signal: string | null, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `killed after the ${timeoutMs / 1000} s time limit`;
  return `the process exited (${signal ?? `code ${code}`}) without a result`;
}

/**
 * Runs a case in as many fresh child processes as it asks for, one after the other, each with an
 * empty work dir that is removed when it exits, and merges their samples.
 */
export async function runCase(entry: CaseEntry, profile: BenchProfile, fixtures: FixturePaths): Promise<CaseResult> {
  const processes = entry.processes(profile);
  const started = performance.now();
  let figures: Figure[] | undefined;
  let peakRssMb: number | null = null;
  let error: string | undefined;
  for (let index = 0; index < processes && error === undefined; index += 1) {
    const workDir = join(WORK_DIR, `${entry.name}-${process.pid}-${index}`);
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
    const input: CaseInput = { profile: profile.name, fixtures, workDir };
    try {
      const exit = await runChild<ChildMessage>(CHILD, [entry.name, JSON.stringify(input)], profile.caseTimeoutMs);
      const { message } = exit;
      if (message !== undefined) peakRssMb = Math.max(peakRssMb ?? 0, message.peakRssMb);
      if (message?.kind === 'done') figures = merge(figures, message.figures);
      else error = message?.error ?? describeExit(exit.code, exit.signal, exit.timedOut, profile.caseTimeoutMs);
    } finally {
      // Retried: the file system may still be settling the writes of processes killed a moment ago.
      rmSync(workDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  }
  const result: CaseResult = {
    name: entry.name,
    title: entry.title,
    backend: entry.backend,
    processes,
    figures: figures ?? [],
    peakRssMb,
    wallSeconds: (performance.now() - started) / 1000,
  };
  if (error !== undefined) result.error = error;
  return result;
}
