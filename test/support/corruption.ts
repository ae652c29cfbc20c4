import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { BaselineRecord } from '../../src/core/baselines.js';
import { emptyRecency } from '../../src/core/recency.js';
import { addBaseline, addOutcome, countersOf, emptyCounters, type StatsCounters } from '../../src/core/stats.js';
import type { Outcome, OutcomeInput } from '../../src/core/types.js';
import type { ModelStats, VerifyReport } from '../../src/index.js';
import { FIXTURES } from './children.js';
import { onLines } from './line-stream.js';

/** One fault put into one file of a copy of a store dir. */
export interface Damage {
  kind: 'flip' | 'truncate';
  /** Relative to the store dir. */
  file: string;
  /** The byte flipped, or the length cut to. */
  position: number;
  /** XORed into the byte (never 0, so the byte changes). */
  mask: number;
}

/** Picks `count` faults in a file: flips at seeded positions within [from, to), or cuts to a length within it. */
export function plan(
  random: () => number,
  file: string,
  kind: Damage['kind'],
  count: number,
  [from, to]: [number, number],
): Damage[] {
  return Array.from({ length: count }, () => ({
    kind,
    file,
    position: from + Math.floor(random() * (to - from)),
    mask: 1 + Math.floor(random() * 255),
  }));
}

export function applyDamage(dir: string, damage: Damage): void {
  const file = join(dir, damage.file);
  if (damage.kind === 'truncate') {
    truncateSync(file, damage.position);
    return;
  }
  const bytes = readFileSync(file);
  bytes[damage.position] = (bytes[damage.position] ?? 0) ^ damage.mask;
  writeFileSync(file, bytes);
}

export function describeDamage(damage: Damage): string {
  return damage.kind === 'flip'
    ? `${damage.file}: byte ${damage.position} XOR 0x${damage.mask.toString(16)}`
    : `${damage.file}: cut to ${damage.position} bytes`;
}

/** Every file under dir with its bytes, by path relative to dir. */
export function filesOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(relative(dir, path), readFileSync(path));
    }
  }
  return files;
}

export function sizeOf(file: string): number {
  return statSync(file).size;
}

export function copyDir(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

/** What the probe saw on one open (test/fixtures/corruption-probe.mjs). */
export type Attempt =
  | { opened: false; code: string | null; name: string; message: string; logs: string[] }
  | {
      opened: true;
      backend: string;
      degraded: boolean;
      reason: string;
      warnings: string[];
      logs: string[];
      /** Set when a read failed after the open; the fields below are then missing. */
      failed?: { code: string | null; name: string; message: string };
      verify: VerifyReport;
      ids: string[];
      stats: ModelStats[];
      baselines: number;
    };

export interface ProbeResult {
  dir: string;
  mode: string;
  first: Attempt;
  second: Attempt | null;
}

/**
 * Runs the probe over the dirs in a child, which must finish within timeoutMs (a hang fails the test,
 * naming the dir it hung on). Results come back in plan order.
 */
export async function runProbe(
  entries: ReadonlyArray<{ dir: string; mode: string }>,
  timeoutMs: number,
): Promise<ProbeResult[]> {
  const planDir = await mkdtemp(join(tmpdir(), 'model-perf-probe-'));
  const planFile = join(planDir, 'plan.json');
  await writeFile(planFile, JSON.stringify(entries));
  const child = spawn(process.execPath, [join(FIXTURES, 'corruption-probe.mjs'), planFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const results: ProbeResult[] = [];
  onLines(child.stdout, (line) => results.push(JSON.parse(line) as ProbeResult));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  await rm(planDir, { recursive: true, force: true });
  const stuckOn = entries[results.length];
  if (timedOut) throw new Error(`the probe hung (over ${timeoutMs} ms) on ${JSON.stringify(stuckOn)}`);
  if (exit.code !== 0) {
    throw new Error(`the probe died (${exit.code ?? exit.signal}) on ${JSON.stringify(stuckOn)}: ${stderr}`);
  }
  return results;
}

/** Outcome inputs o-from .. o-(from+count-1), with seeded success, tokens and costs (multiples of 1/64: exact sums). */
export function seededOutcomes(random: () => number, from: number, count: number): OutcomeInput[] {
  return Array.from({ length: count }, (_, offset) => ({
    id: `o-${from + offset}`,
    taskType: `task-${(from + offset) % 3}`,
    modelId: `model-${(from + offset) % 4}`,
    success: random() < 0.8,
    tokensUsed: Math.floor(random() * 5000),
    costUsd: Math.floor(random() * 100) / 64,
    timestamp: new Date(Date.UTC(2026, 0, 1) + (from + offset) * 1000).toISOString(),
  }));
}

/** The one baseline row the damaged stores import (from legacySource('legacy')). */
export const LEGACY_BASELINES = [
  {
    taskType: 'task-0',
    modelId: 'model-0',
    successes: 5,
    failures: 1,
    timeouts: 0,
    totalTokens: 9,
    totalCost: 1,
    lastUsed: null,
  },
];

/** Counters per pair: of the outcomes as written whose id is in `ids`, plus the baselines when asked. */
export function expectedCounts(
  written: { outcomes: readonly Outcome[]; baselines: readonly BaselineRecord[] },
  ids: ReadonlySet<string>,
  withBaselines: boolean,
): Record<string, StatsCounters> {
  const counts: Record<string, StatsCounters> = {};
  const of = (taskType: string, modelId: string): StatsCounters => {
    const key = `${taskType} / ${modelId}`;
    counts[key] ??= emptyCounters();
    return counts[key];
  };
  for (const outcome of written.outcomes)
    if (ids.has(outcome.id)) addOutcome(of(outcome.taskType, outcome.modelId), outcome);
  if (withBaselines)
    for (const baseline of written.baselines) addBaseline(of(baseline.taskType, baseline.modelId), baseline);
  for (const counters of Object.values(counts)) Object.assign(counters, emptyRecency());
  return counts;
}

/** The counters of each pair a store reported, keyed like expectedCounts. */
export function countsOf(stats: readonly ModelStats[]): Record<string, StatsCounters> {
  const counts: Record<string, StatsCounters> = {};
  // Without the recency counters: they follow the order the writers' outcomes landed in, which a
  // recount cannot know (see core/verify.ts).
  for (const row of stats) counts[`${row.taskType} / ${row.modelId}`] = { ...countersOf(row), ...emptyRecency() };
  return counts;
}
