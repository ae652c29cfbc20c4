import { ModelPerfError } from '../../core/errors.js';
import { RefusedEntryError, readStoreFileSync } from '../../core/store-files.js';
import { openDocument } from './checksum.js';
import { ioError } from './io.js';

/** What reading one of the store's JSON documents (the checkpoint, the imports file) found. */
export type DocumentRead<Found> =
  | { kind: 'missing' }
  | Found
  | { kind: 'corrupt'; problem: string }
  | { kind: 'newer'; version: number };

/** The refusal of a document whose format version is above the one this code reads. */
export function newerFormatError(file: string, version: number, readsUpTo: number): ModelPerfError {
  return new ModelPerfError(
    'MP_BACKEND_UNAVAILABLE',
    `${file} has format version ${version}, written by a newer model-perf; this one reads up to ` +
      `version ${readsUpTo}. Upgrade model-perf to open this store.`,
    { file },
  );
}

/** Thrown by a document parser for a structural problem; reported as `corrupt`, never thrown on. */
export class DocumentProblem extends Error {}

export function checkDocument(condition: boolean, problem: string): asserts condition {
  if (!condition) throw new DocumentProblem(problem);
}

/**
 * Reads a sealed JSON document: its checksum, then JSON, then the parser's structural checks. Damage at
 * any step is `corrupt` with the reason, so the caller decides between rebuilding and quarantining.
 */
export function readDocumentFile<Found>(
  file: string,
  parse: (value: unknown, sealed: boolean) => DocumentRead<Found>,
): DocumentRead<Found> {
  let text: string;
  try {
    const bytes = readStoreFileSync(file, 'document');
    if (bytes === undefined) return { kind: 'missing' };
    text = bytes.toString('utf8');
  } catch (error) {
    // A symlink, a FIFO or an oversized file in its place is damage: quarantined like any other.
    if (error instanceof RefusedEntryError) return { kind: 'corrupt', problem: error.message };
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
    return parse(parsed, opened.sealed);
  } catch (error) {
    if (error instanceof DocumentProblem) return { kind: 'corrupt', problem: error.message };
    throw error;
  }
}
