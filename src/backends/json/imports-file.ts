import type { BaselineEntry, BaselineRecord, ImportRecord, ImportSource } from '../../core/baselines.js';
import { quarantineSync } from '../../core/durable-files.js';
import { isModelPerfError, ModelPerfError } from '../../core/errors.js';
import type { FederatedEntry, FederatedSource } from '../../core/federated.js';
import { normalizeBaselineEntry, normalizeImportSource } from '../../core/import-validation.js';
import { compareText } from '../../core/stats.js';
import { checkName, isPlainRecord, ownValue } from '../../core/validation.js';
import { fileStamp } from './checkpoint.js';
import {
  checkDocument,
  DocumentProblem,
  type DocumentRead,
  newerFormatError,
  readDocumentFile,
  sealDocument,
} from './document-file.js';
import { ioError, replaceFile } from './io.js';
import type { StoreLayout } from './layout.js';
import { StoreLock } from './lock.js';
import { isTimestamp } from './outcome-lines.js';
import { StatsTable } from './stats-table.js';

/**
 * The one format version this code reads and writes; a file with a higher one was written by a newer
 * model-perf, and any other is damage. Version 3: a baseline's or a prior's totalTokens and totalCost may
 * be null (unknown).
 */
export const IMPORTS_VERSION = 3;
const FORMAT = 'model-perf-json-imports';

export type ImportsRead = DocumentRead<{ kind: 'found'; document: ImportsDocument }>;

/** Runs one of core's validators on a stored record: what it rejects makes the file damaged. */
function valid<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isModelPerfError(error, 'MP_INVALID_IMPORT')) throw new DocumentProblem(`${what}: ${error.message}`);
    throw error;
  }
}

function record(value: unknown, what: string): Record<string, unknown> {
  checkDocument(isPlainRecord(value), `${what} is not an object`);
  return value;
}

function timestamp(value: unknown, what: string): string {
  checkDocument(isTimestamp(value), `${what} has no valid timestamp`);
  return value;
}

function sourceId(value: unknown, what: string): string {
  return valid(what, () => checkName(value, 'sourceId', 'MP_INVALID_IMPORT'));
}

function parseImport(value: unknown): ImportRecord {
  const { importedAt, ...source } = record(value, 'an import');
  return { ...valid('an import', () => normalizeImportSource(source)), importedAt: timestamp(importedAt, 'an import') };
}

function parseBaseline(value: unknown): BaselineRecord {
  const { sourceId: id, ...entry } = record(value, 'a baseline');
  return { ...valid('a baseline', () => normalizeBaselineEntry(entry)), sourceId: sourceId(id, 'a baseline') };
}

function parseFederated(value: unknown): FederatedEntry {
  const what = 'a federated entry';
  const { sourceId: id, exportedAt, importedAt, ...entry } = record(value, what);
  return {
    ...valid(what, () => normalizeBaselineEntry(entry)),
    sourceId: sourceId(id, what),
    exportedAt: timestamp(exportedAt, what),
    importedAt: timestamp(importedAt, what),
  };
}

function list<T>(document: Record<string, unknown>, key: string, parse: (value: unknown) => T): T[] {
  const values = ownValue(document, key);
  checkDocument(Array.isArray(values), `no ${key} list`);
  return values.map((value: unknown) => parse(value));
}

function parseDocument(value: unknown, sealed: boolean): ImportsRead {
  checkDocument(isPlainRecord(value) && ownValue(value, 'format') === FORMAT, `not a ${FORMAT} document`);
  const version = ownValue(value, 'version');
  checkDocument(Number.isSafeInteger(version) && (version as number) >= 1, 'no valid version');
  if ((version as number) > IMPORTS_VERSION) return { kind: 'newer', version: version as number };
  checkDocument(version === IMPORTS_VERSION, `unsupported version ${String(version)}`);
  checkDocument(sealed, 'no checksum');
  const document: ImportsDocument = {
    imports: list(value, 'imports', parseImport),
    baselines: list(value, 'baselines', parseBaseline),
    federated: list(value, 'federated', parseFederated),
  };
  return { kind: 'found', document };
}

export function readImportsFile(file: string): ImportsRead {
  return readDocumentFile(file, parseDocument);
}

/** Replaces the file atomically and durably; the caller holds the store lock. */
export function writeImportsFile(file: string, document: ImportsDocument): Promise<void> {
  const { imports, baselines, federated } = document;
  const content = {
    format: FORMAT,
    version: IMPORTS_VERSION,
    writtenAt: new Date().toISOString(),
    imports,
    baselines,
    federated,
  };
  return replaceFile(file, sealDocument(JSON.stringify(content)));
}

/**
 * What the JSON backend keeps about imports, in model-perf.imports.json: the recorded sources, the
 * baselines they brought (added to the stats on read), and federated priors (never added). Every list
 * is kept in its listing order, so a read returns it as it is. Names are values in records, never
 * object keys, so "__proto__" is data like any other name.
 */
export interface ImportsDocument {
  /** By importedAt, then id. */
  readonly imports: readonly ImportRecord[];
  /** By taskType, modelId, sourceId. */
  readonly baselines: readonly BaselineRecord[];
  /** By taskType, modelId, sourceId. */
  readonly federated: readonly FederatedEntry[];
}

export const EMPTY_IMPORTS: ImportsDocument = Object.freeze({ imports: [], baselines: [], federated: [] });

function compareImports(a: ImportRecord, b: ImportRecord): number {
  return compareText(a.importedAt, b.importedAt) || compareText(a.id, b.id);
}

export function comparePairSource(a: BaselineRecord, b: BaselineRecord): number {
  return (
    compareText(a.taskType, b.taskType) || compareText(a.modelId, b.modelId) || compareText(a.sourceId, b.sourceId)
  );
}

/** A copy for a caller, who may change it without changing what the store holds. */
export function copyImport(record: ImportRecord): ImportRecord {
  return record.details === undefined ? { ...record } : { ...record, details: { ...record.details } };
}

export function hasImport(document: ImportsDocument, sourceId: string): boolean {
  return document.imports.some((record) => record.id === sourceId);
}

/** The document with the source recorded and its entries kept as baselines. */
export function withImport(
  document: ImportsDocument,
  source: ImportSource,
  entries: readonly BaselineEntry[],
  now: Date,
): ImportsDocument {
  const record: ImportRecord = { ...source, importedAt: now.toISOString() };
  const added = entries.map((entry) => ({ ...entry, sourceId: source.id }));
  return {
    imports: [...document.imports, record].sort(compareImports),
    baselines: [...document.baselines, ...added].sort(comparePairSource),
    federated: document.federated,
  };
}

/** The document with the source's federated entries replaced by these. */
export function withFederated(
  document: ImportsDocument,
  source: FederatedSource,
  entries: readonly BaselineEntry[],
  now: Date,
): ImportsDocument {
  const importedAt = now.toISOString();
  const kept = document.federated.filter((entry) => entry.sourceId !== source.id);
  const added = entries.map((entry) => ({ ...entry, sourceId: source.id, exportedAt: source.exportedAt, importedAt }));
  return { ...document, federated: [...kept, ...added].sort(comparePairSource) };
}

/** The stats the baselines add, per pair. */
export function baselineTable(baselines: readonly BaselineEntry[]): StatsTable {
  const table = new StatsTable(true);
  for (const entry of baselines) table.addBaseline(entry);
  return table;
}

export interface ImportsChange<T> {
  result: T;
  /** The document to write; absent when nothing changes. */
  next?: ImportsDocument;
}

/**
 * The imports file of one store instance. Reads take no lock: the file is only ever replaced by a
 * rename, so a reader sees one whole version, and a stat tells whether it is still the version this
 * instance loaded. Changes are read-modify-write under the store lock (json.lock), reading the file
 * again once the lock is held, so two processes never lose each other's change, and a check such as
 * "this source is recorded already" holds until the new file is in place.
 */
export class ImportsFile {
  readonly #layout: StoreLayout;
  readonly #lockStaleMs: number;
  readonly #busyTimeoutMs: number;
  #document: ImportsDocument = EMPTY_IMPORTS;
  /** The stamp of the file #document was read from; null before the first read (undefined: no file). */
  #stamp: string | undefined | null = null;

  constructor(layout: StoreLayout, lockStaleMs: number, busyTimeoutMs: number) {
    this.#layout = layout;
    this.#lockStaleMs = lockStaleMs;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  /** The current document: read again only when the file changed since the last read. */
  async current(): Promise<ImportsDocument> {
    const stamp = fileStamp(this.#layout.imports);
    if (stamp !== this.#stamp) {
      // Stamp first, then read: a replacement in between leaves a newer document under an older
      // stamp, which only costs one more read next time.
      this.#document = await this.#read(false);
      this.#stamp = stamp;
    }
    return this.#document;
  }

  /** Applies a change to the latest document under the store lock; returns the change's result. */
  async update<T>(change: (document: ImportsDocument) => ImportsChange<T>): Promise<T> {
    const file = this.#layout.imports;
    const lock = await StoreLock.acquire(this.#layout.lock, this.#lockStaleMs, this.#busyTimeoutMs);
    try {
      const { result, next } = change(await this.#read(true));
      if (next === undefined) return result;
      if (!lock.isHeld()) {
        throw new ModelPerfError(
          'MP_LOCKED',
          `The lock ${this.#layout.lock} was taken from this process as stale while it changed ${file}; ` +
            'nothing was written. Retry.',
          { file },
        );
      }
      await writeImportsFile(file, next);
      this.#document = next;
      // Nobody else replaces the file while the lock is held, so this stamp is the one just written.
      this.#stamp = fileStamp(file);
      return result;
    } finally {
      lock.release();
    }
  }

  /**
   * Reads the file. A damaged one is moved to backups/ (never overwritten: invariant 4) under the lock,
   * after reading it again there, so that a reader cannot move aside a good file that a writer has just
   * put in place; the call then fails with MP_CORRUPT_DATA and the next one starts without it.
   */
  async #read(locked: boolean): Promise<ImportsDocument> {
    const file = this.#layout.imports;
    const read = readImportsFile(file);
    switch (read.kind) {
      case 'missing':
        return EMPTY_IMPORTS;
      case 'found':
        return read.document;
      case 'newer':
        throw newerFormatError(file, read.version, IMPORTS_VERSION);
      case 'corrupt':
        return locked ? this.#moveAside(read.problem) : this.#readLocked();
    }
  }

  async #readLocked(): Promise<ImportsDocument> {
    const lock = await StoreLock.acquire(this.#layout.lock, this.#lockStaleMs, this.#busyTimeoutMs);
    try {
      return this.#read(true);
    } finally {
      lock.release();
    }
  }

  #moveAside(problem: string): never {
    const file = this.#layout.imports;
    const backup = quarantineSync(file, this.#layout.backups, ioError);
    this.#stamp = null;
    throw new ModelPerfError(
      'MP_CORRUPT_DATA',
      `The JSON store file ${file} is damaged (${problem}); ${backup === undefined ? 'it is gone' : `it was moved to ${backup}`}, ` +
        'and the imports, baselines and federated priors it held no longer count. The store works on; ' +
        'restore the file from the backup if you can.',
      { file },
    );
  }
}
