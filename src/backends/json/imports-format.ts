import { readFileSync } from 'node:fs';
import type { BaselineRecord, ImportRecord } from '../../core/baselines.js';
import { isModelPerfError } from '../../core/errors.js';
import type { FederatedEntry } from '../../core/federated.js';
import { normalizeBaselineEntry, normalizeImportSource } from '../../core/import-validation.js';
import { checkName, isPlainRecord, ownValue } from '../../core/validation.js';
import { openDocument, sealDocument } from './checksum.js';
import type { ImportsDocument } from './imports-document.js';
import { ioError, isMissing, replaceFileSync } from './io.js';
import { isTimestamp } from './outcome-lines.js';

/**
 * The format version this code writes; a file with a higher one was written by a newer model-perf.
 * Version 2 added the checksum; version 1 files are read as they are, without.
 */
export const IMPORTS_VERSION = 2;
/** The first version that must carry a checksum. */
const SEALED_VERSION = 2;
const FORMAT = 'model-perf-json-imports';

export type ImportsRead =
  | { kind: 'missing' }
  | { kind: 'found'; document: ImportsDocument }
  | { kind: 'corrupt'; problem: string }
  | { kind: 'newer'; version: number };

class BadImports extends Error {}

function check(condition: boolean, problem: string): asserts condition {
  if (!condition) throw new BadImports(problem);
}

/** Runs one of core's validators on a stored record: what it rejects makes the file damaged. */
function valid<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isModelPerfError(error, 'MP_INVALID_IMPORT')) throw new BadImports(`${what}: ${error.message}`);
    throw error;
  }
}

function record(value: unknown, what: string): Record<string, unknown> {
  check(isPlainRecord(value), `${what} is not an object`);
  return value;
}

function timestamp(value: unknown, what: string): string {
  check(isTimestamp(value), `${what} has no valid timestamp`);
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
  check(Array.isArray(values), `no ${key} list`);
  return values.map((value: unknown) => parse(value));
}

function parseDocument(value: unknown, sealed: boolean): ImportsRead {
  check(isPlainRecord(value) && ownValue(value, 'format') === FORMAT, `not a ${FORMAT} document`);
  const version = ownValue(value, 'version');
  check(Number.isSafeInteger(version) && (version as number) >= 1, 'no valid version');
  if ((version as number) > IMPORTS_VERSION) return { kind: 'newer', version: version as number };
  check(sealed || (version as number) < SEALED_VERSION, 'no checksum');
  const document: ImportsDocument = {
    imports: list(value, 'imports', parseImport),
    baselines: list(value, 'baselines', parseBaseline),
    federated: list(value, 'federated', parseFederated),
  };
  return { kind: 'found', document };
}

export function readImportsFile(file: string): ImportsRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return { kind: 'missing' };
    throw ioError('read', file, error);
  }
  const opened = openDocument(text);
  if (opened.json === undefined) return { kind: 'corrupt', problem: 'its checksum does not match its content' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(opened.json);
  } catch (error) {
    return { kind: 'corrupt', problem: `not JSON (${(error as Error).message})` };
  }
  try {
    return parseDocument(parsed, opened.sealed);
  } catch (error) {
    if (error instanceof BadImports) return { kind: 'corrupt', problem: error.message };
    throw error;
  }
}

/** Replaces the file atomically and durably; the caller holds the store lock. */
export function writeImportsFile(file: string, document: ImportsDocument): void {
  const { imports, baselines, federated } = document;
  const content = {
    format: FORMAT,
    version: IMPORTS_VERSION,
    writtenAt: new Date().toISOString(),
    imports,
    baselines,
    federated,
  };
  replaceFileSync(file, sealDocument(JSON.stringify(content)));
}
