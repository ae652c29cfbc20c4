import type { BaselineRecord, ImportRecord } from '../../core/baselines.js';
import { isModelPerfError } from '../../core/errors.js';
import type { FederatedEntry } from '../../core/federated.js';
import { normalizeBaselineEntry, normalizeImportSource } from '../../core/import-validation.js';
import { checkName, isPlainRecord, ownValue } from '../../core/validation.js';
import { sealDocument } from './checksum.js';
import { checkDocument, DocumentProblem, type DocumentRead, readDocumentFile } from './document-file.js';
import type { ImportsDocument } from './imports-document.js';
import { replaceFile } from './io.js';
import { isTimestamp } from './outcome-lines.js';

/**
 * The format version this code writes; a file with a higher one was written by a newer model-perf.
 * Version 2 added the checksum; version 1 files are read as they are, without.
 */
export const IMPORTS_VERSION = 2;
/** The first version that must carry a checksum. */
const SEALED_VERSION = 2;
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
  checkDocument(sealed || (version as number) < SEALED_VERSION, 'no checksum');
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
