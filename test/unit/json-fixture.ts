import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { JsonStore } from '../../src/backends/json/index.js';
import type { JsonTuning } from '../../src/backends/json/layout.js';
import { type Logger, silentLogger } from '../../src/core/logger.js';

/** The JSON store's checkpoint file, in the store dir. */
export const CHECKPOINT = 'model-perf.checkpoint.json';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh directory under the OS temp dir, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-json-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Tuning that makes rotation and compaction happen after a few writes. */
export const TINY: Partial<JsonTuning> = {
  rotateBytes: 2048,
  compactMinFiles: 2,
  compactMinBytes: 4096,
  segmentMergeMaxBytes: 64 * 1024,
};

/** A JSON store on dir, closed after the test (closing twice is fine). */
export async function openJson(
  dir: string,
  tuning: Partial<JsonTuning> = {},
  logger: Logger = silentLogger,
): Promise<JsonStore> {
  const store = await JsonStore.open({ dir, logger }, tuning);
  cleanups.push(() => store.close());
  return store;
}

export { outcomeNo, outcomesNo } from '../support/numbered-outcomes.js';

export function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export function journalDir(dir: string): string {
  return join(dir, 'journal');
}

export function segmentDir(dir: string): string {
  return join(dir, 'segments');
}

/** The segment files of a store, without the id index file beside each. */
export function segmentFiles(dir: string): string[] {
  return filesIn(segmentDir(dir)).filter((name) => name.endsWith('.jsonl'));
}

/** Each listed segment with its id index file, sorted as filesIn lists them. */
export function withIndexFiles(segments: readonly string[]): string[] {
  return segments.flatMap((name) => [name, name.replace(/\.jsonl$/, '.idx')]).sort();
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** The pid of a process that has exited: no process on this host has it (barring reuse in the next instant). */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}
