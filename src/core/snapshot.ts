import { join } from 'node:path';
import { writeFileAtomic } from './durable-files.js';
import { ModelPerfError } from './errors.js';
import { countersOf, type StatsCounters } from './stats.js';
import { readStoreFile } from './store-files.js';
import type { ModelStats } from './types.js';

/**
 * The aggregate snapshot a SQLite store leaves in its dir (at close, and every few hundred writes), so
 * that a JSON session that must take over while SQLite cannot start keeps the rankings' history. Its
 * counts are a baseline for that session and are never imported back into SQLite.
 */
export const SNAPSHOT_FILE = 'model-perf.snapshot.json';
const FORMAT = 'model-perf-stats-snapshot';
const VERSION = 1;

export interface SnapshotEntry extends StatsCounters {
  taskType: string;
  modelId: string;
}

export interface StatsSnapshot {
  writtenAt: string;
  entries: SnapshotEntry[];
}

export async function writeSnapshot(dir: string, stats: readonly ModelStats[], now = new Date()): Promise<void> {
  const entries: SnapshotEntry[] = stats.map((row) => ({
    taskType: row.taskType,
    modelId: row.modelId,
    ...countersOf(row),
  }));
  const document = { format: FORMAT, version: VERSION, writtenAt: now.toISOString(), entries };
  await writeFileAtomic(join(dir, SNAPSHOT_FILE), `${JSON.stringify(document)}\n`);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function toEntry(value: unknown): SnapshotEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  const { taskType, modelId, lastUsed } = entry;
  const counts = ['successes', 'failures', 'timeouts', 'totalTokens', 'totalCost', 'totalLatencyMs', 'latencySamples'];
  if (typeof taskType !== 'string' || typeof modelId !== 'string') return undefined;
  if (!counts.every((key) => isCount(entry[key]))) return undefined;
  if (lastUsed !== null && typeof lastUsed !== 'string') return undefined;
  return {
    taskType,
    modelId,
    successes: entry.successes as number,
    failures: entry.failures as number,
    timeouts: entry.timeouts as number,
    totalTokens: entry.totalTokens as number,
    totalCost: entry.totalCost as number,
    totalLatencyMs: entry.totalLatencyMs as number,
    latencySamples: entry.latencySamples as number,
    lastUsed,
  };
}

/** The snapshot in dir, or undefined when there is none. A damaged one is an MP_CORRUPT_DATA error. */
export async function readSnapshot(dir: string): Promise<StatsSnapshot | undefined> {
  const file = join(dir, SNAPSHOT_FILE);
  let text: string;
  try {
    const bytes = await readStoreFile(file, 'snapshot');
    if (bytes === undefined) return undefined;
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof ModelPerfError) throw error;
    throw new ModelPerfError('MP_IO', `Cannot read ${file}: ${(error as Error).message}.`, { file, cause: error });
  }
  const corrupt = (problem: string): never => {
    throw new ModelPerfError('MP_CORRUPT_DATA', `${file} is damaged (${problem}).`, { file });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return corrupt(`not JSON: ${(error as Error).message}`);
  }
  const document = parsed as { format?: unknown; version?: unknown; writtenAt?: unknown; entries?: unknown };
  if (typeof parsed !== 'object' || parsed === null || document.format !== FORMAT) return corrupt('unknown format');
  if (document.version !== VERSION) return corrupt(`unsupported version ${String(document.version)}`);
  if (typeof document.writtenAt !== 'string' || !Array.isArray(document.entries)) return corrupt('missing fields');
  const entries: SnapshotEntry[] = [];
  for (const value of document.entries as unknown[]) {
    const entry = toEntry(value);
    if (entry === undefined) return corrupt('a malformed entry');
    entries.push(entry);
  }
  return { writtenAt: document.writtenAt, entries };
}
