import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readTextIfExists, writeFileAtomic } from './durable-files.js';
import { describeError, ModelPerfError } from './errors.js';
import type { Logger } from './logger.js';
import { RECENCY_FIELDS } from './recency.js';
import { countersOf, emptyCounters, type StatsCounters, VALUE_COUNTERS } from './stats.js';
import type { ModelStats } from './types.js';
import { isAmount, parseJson } from './validation.js';

/**
 * The aggregate snapshot a SQLite store leaves in its dir (at close, and every few hundred writes), so
 * that a JSON session that must take over while SQLite cannot start keeps the rankings' history. Its
 * counts are a baseline for that session and are never imported back into SQLite.
 */
export const SNAPSHOT_FILE = 'model-perf.snapshot.json';
const FORMAT = 'model-perf-stats-snapshot';
/** Version 2 added tokenSamples, costSamples and the recency counters; nothing older was published. */
const VERSION = 2;

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

/** Every numeric counter of an entry (all are non-negative). */
const COUNTER_FIELDS = [...VALUE_COUNTERS, ...RECENCY_FIELDS] as const;

function toEntry(value: unknown): SnapshotEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  const { taskType, modelId, lastUsed } = entry;
  if (typeof taskType !== 'string' || typeof modelId !== 'string') return undefined;
  if (!COUNTER_FIELDS.every((key) => isAmount(entry[key]))) return undefined;
  if (lastUsed !== null && typeof lastUsed !== 'string') return undefined;
  const counters = emptyCounters();
  for (const key of COUNTER_FIELDS) counters[key] = entry[key] as number;
  return { taskType, modelId, ...counters, lastUsed };
}

/** The snapshot in dir, or undefined when there is none. A damaged one is an MP_CORRUPT_DATA error. */
export async function readSnapshot(dir: string): Promise<StatsSnapshot | undefined> {
  const file = join(dir, SNAPSHOT_FILE);
  let text: string | undefined;
  try {
    text = await readTextIfExists(file);
  } catch (error) {
    throw new ModelPerfError('MP_IO', `Cannot read ${file}: ${(error as Error).message}.`, { file, cause: error });
  }
  if (text === undefined) return undefined;
  const corrupt = (problem: string): never => {
    throw new ModelPerfError('MP_CORRUPT_DATA', `${file} is damaged (${problem}).`, { file });
  };
  const parsed = parseJson(text, (error) => corrupt(`not JSON: ${error.message}`));
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

/** Successful writes between two snapshots: often enough that a crash loses little history, rare enough to cost nothing. */
export const SNAPSHOT_EVERY_WRITES = 500;

/**
 * Keeps the snapshot close to a SQL store's stats (SQLite's file, or the PostgreSQL server's): rewritten
 * every SNAPSHOT_EVERY_WRITES committed writes, when asked (refresh) and at close, so that a JSON session
 * that must take over keeps the rankings' history. Best effort: a snapshot that cannot be written is a
 * warning, never a failed write or close. The stats are read when a snapshot is due (one consistent
 * read); only the file write runs in the background, one at a time.
 */
export class SnapshotWriter {
  readonly #dir: string;
  readonly #logger: Logger;
  readonly #readStats: () => ModelStats[] | Promise<ModelStats[]>;
  /** Who would miss the history, for the warning: "a JSON session that takes over from SQLite". */
  readonly #takeover: string;
  #writes = 0;
  #writing: Promise<void> = Promise.resolve();

  constructor(dir: string, logger: Logger, readStats: () => ModelStats[] | Promise<ModelStats[]>, takeover: string) {
    this.#dir = dir;
    this.#logger = logger;
    this.#readStats = readStats;
    this.#takeover = takeover;
  }

  /** Called after each committed write. */
  noteWrite(): void {
    this.#writes += 1;
    if (this.#writes >= SNAPSHOT_EVERY_WRITES) void this.refresh();
  }

  /** Writes a snapshot after any in progress; resolves when it is written (or failed with a warning). */
  refresh(): Promise<void> {
    this.#writes = 0;
    const reading = (async () => this.#readStats())();
    this.#writing = this.#writing.then(async () => {
      try {
        const stats = await reading;
        await mkdir(this.#dir, { recursive: true });
        await writeSnapshot(this.#dir, stats);
      } catch (error) {
        this.#logger.warn(
          `Could not write the stats snapshot in ${this.#dir} (${describeError(error)}); ${this.#takeover} ` +
            'would start without the latest history. The next snapshot retries.',
        );
      }
    });
    return this.#writing;
  }

  /** Resolves once every snapshot asked for so far is written (or failed with a warning). */
  settled(): Promise<void> {
    return this.#writing;
  }
}
