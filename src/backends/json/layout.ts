import { hostname } from 'node:os';
import path from 'node:path';
import { randomHex } from '../../core/durable-files.js';
import { type BackendOptions, type ResolvedBackendOptions, resolveBackendOptions } from '../../core/options.js';
import { errorCode } from '../../core/store-files.js';

/**
 * Where the JSON backend keeps its files in a store dir:
 *
 *   model-perf.checkpoint.json   aggregates of every segment, and the list of segments (replaced by rename)
 *   segments/seg-*.jsonl         immutable files of raw outcomes, written by compaction
 *   journal/*.open.jsonl         one per writing store instance, appended only by that instance
 *   journal/*.jsonl              sealed journals (their writer closed or died), waiting for compaction
 *   model-perf.imports.json      recorded imports, their baselines, federated priors (replaced by rename)
 *   json.lock                    held while one process compacts or changes the imports file
 *   backups/                     quarantined corrupt files
 */
export interface StoreLayout {
  readonly dir: string;
  readonly checkpoint: string;
  readonly imports: string;
  readonly lock: string;
  readonly journals: string;
  readonly segments: string;
  readonly backups: string;
}

export const CHECKPOINT_NAME = 'model-perf.checkpoint.json';
export const IMPORTS_NAME = 'model-perf.imports.json';
export const LOCK_NAME = 'json.lock';

export function storeLayout(dir: string): StoreLayout {
  const root = path.resolve(dir);
  return {
    dir: root,
    checkpoint: path.join(root, CHECKPOINT_NAME),
    imports: path.join(root, IMPORTS_NAME),
    lock: path.join(root, LOCK_NAME),
    journals: path.join(root, 'journal'),
    segments: path.join(root, 'segments'),
    backups: path.join(root, 'backups'),
  };
}

/**
 * The files and dirs that hold a store's data (what info.files lists): known without opening the
 * store, so that a SQLite store can check for JSON data to absorb at no cost when there is none.
 */
export function jsonStoreFiles(dir: string): string[] {
  const layout = storeLayout(dir);
  return [layout.checkpoint, layout.segments, layout.journals, layout.imports];
}

/**
 * A journal's name says who writes it and when it was started:
 * `<start time, base 36>-<host>-<pid>-<random>.open.jsonl` while its writer appends to it, then
 * `...-<random>.jsonl` once sealed. The part before the suffix is the journal's id; it never changes.
 * Ids sort in start order, which is the order in which readers fold journals.
 */
export interface JournalName {
  id: string;
  host: string;
  pid: number;
  sealed: boolean;
}

const OPEN_SUFFIX = '.open.jsonl';
const SEALED_SUFFIX = '.jsonl';
const JOURNAL_ID = /^[0-9a-z]{9}-(.+)-(\d{1,10})-[0-9a-f]{8}$/;
const SEGMENT_NAME = /^seg-(\d{10})-[0-9a-f]{8}\.jsonl$/;

/** This host's name as it appears in journal names (file-name safe). */
export const LOCAL_HOST = hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'localhost';

let lastStart = 0;

export function newJournalId(): string {
  // Strictly increasing within this process, so that its journals fold in the order they were written.
  lastStart = Math.max(Date.now(), lastStart + 1);
  return `${lastStart.toString(36).padStart(9, '0')}-${LOCAL_HOST}-${process.pid}-${randomHex()}`;
}

export function journalFileName(id: string, sealed: boolean): string {
  return `${id}${sealed ? SEALED_SUFFIX : OPEN_SUFFIX}`;
}

export function parseJournalId(id: string): Omit<JournalName, 'sealed'> | undefined {
  const match = JOURNAL_ID.exec(id);
  if (match === null) return undefined;
  const [, host = '', pid = ''] = match;
  return { id, host, pid: Number(pid) };
}

export function parseJournalFileName(file: string): JournalName | undefined {
  const sealed = !file.endsWith(OPEN_SUFFIX);
  if (sealed && !file.endsWith(SEALED_SUFFIX)) return undefined;
  const parsed = parseJournalId(file.slice(0, -(sealed ? SEALED_SUFFIX : OPEN_SUFFIX).length));
  return parsed === undefined ? undefined : { ...parsed, sealed };
}

/** Segments are named after the checkpoint generation that first lists them. */
export function newSegmentName(generation: number): string {
  return `seg-${String(generation).padStart(10, '0')}-${randomHex()}.jsonl`;
}

/** The generation in a segment's name, or undefined when the name is not a segment's. */
export function segmentGeneration(file: string): number | undefined {
  const match = SEGMENT_NAME.exec(file);
  return match === null ? undefined : Number(match[1]);
}

/**
 * Whether the process that wrote a journal or took a lock may still be running. Only a process on this
 * host can be checked; any other is assumed alive. A wrong "dead" (a pid seen through another pid
 * namespace) is survivable: writers detect that their journal was taken and write the line again.
 */
export function isOwnerAlive(host: string, pid: number): boolean {
  if (host !== LOCAL_HOST || pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) !== 'ESRCH';
  }
}

/**
 * Sizes and delays of the JSON backend. The defaults keep opening fast (little journal data to fold)
 * and compaction short; tests pass smaller values to make rotation and compaction happen often.
 */
export interface JsonTuning {
  /** A writer seals its journal and starts a new one past this size. */
  rotateBytes: number;
  /** Compaction runs once this many sealed or abandoned journals wait... */
  compactMinFiles: number;
  /** ...or once they hold this many bytes. */
  compactMinBytes: number;
  /** One compaction merges at most this much journal data (at least one journal), so that it stays short. */
  compactMaxBytes: number;
  /** Small segments at the end are merged into the new one up to this size, so that segments stay few. */
  segmentMergeMaxBytes: number;
  /** A lock untouched for this long is stale even when its holder seems alive (a reused pid, another host). */
  lockStaleMs: number;
}

export const DEFAULT_TUNING: Readonly<JsonTuning> = Object.freeze({
  rotateBytes: 1 << 20,
  compactMinFiles: 8,
  compactMinBytes: 1 << 20,
  compactMaxBytes: 64 << 20,
  segmentMergeMaxBytes: 32 << 20,
  lockStaleMs: 10 * 60_000,
});

/**
 * Bytes read and processed per step of the work that may hold the event loop (a compaction, a catch-up
 * on what other processes appended): decoding and folding this much takes a few milliseconds, and the
 * event loop runs between two steps, whatever the size of the store.
 */
export const STEP_BYTES = 32 << 10;

/** Bytes read from a file per system call. */
export const READ_CHUNK_BYTES = 1 << 20;

// An interface rather than an alias, so that JSON-only options can join it later.
export interface JsonStoreOptions extends BackendOptions {}

/** The options checked, with defaults filled in and the directory made absolute. */
export type JsonSettings = ResolvedBackendOptions;

export function resolveSettings(options: JsonStoreOptions): JsonSettings {
  return resolveBackendOptions(options, 'JSON', 'openJsonStore');
}
