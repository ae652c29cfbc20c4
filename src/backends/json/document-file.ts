import { ModelPerfError } from '../../core/errors.js';
import { RefusedEntryError, readStoreFileSync } from '../../core/store-files.js';
import { ioError } from './io.js';

/**
 * Checksums on everything the JSON backend stores, so that accidental damage (a flipped bit, a sector
 * of garbage) is found instead of read as different data: a digit or a name changed by a flip still
 * parses, and would silently change the counts.
 *
 * The checksum is 32-bit FNV-1a over the text's UTF-16 code units, as 8 hex digits. Any single changed
 * character changes it (each step is a bijection of the running hash); other damage goes unnoticed with
 * odds of 1 in 2^32. It is no defence against deliberate edits.
 */
export function checksum(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

const TAB = 0x09;
const CHECKSUM_LENGTH = 8;

/**
 * A line of outcomes: the JSON text, a tab, its checksum. JSON escapes every control character, so the
 * tab can only be the separator.
 */
export function sealLine(json: string): string {
  return `${json}\t${checksum(json)}`;
}

/** The JSON text of a line (without its newline); undefined when it carries no checksum or another one. */
export function openLine(line: string): string | undefined {
  const at = line.length - CHECKSUM_LENGTH - 1;
  if (at < 0 || line.charCodeAt(at) !== TAB) return undefined;
  const json = line.slice(0, at);
  return checksum(json) === line.slice(at + 1) ? json : undefined;
}

const SEAL = /,"checksum":"([0-9a-f]{8})"\}\n?$/;

/**
 * A one-line JSON document with the checksum of its text as its last field, so that a model-perf that
 * predates checksums still parses it and refuses it by its version rather than by its damage.
 */
export function sealDocument(json: string): string {
  return `${json.slice(0, -1)},"checksum":"${checksum(json)}"}\n`;
}

export type OpenedDocument = { sealed: boolean; json: string } | { sealed: true; json: undefined };

/**
 * The JSON text a sealed document was made from (json undefined when the checksum does not match),
 * or the text as it is when it carries no checksum: the caller decides whether its version needs one.
 */
export function openDocument(text: string): OpenedDocument {
  const match = SEAL.exec(text);
  if (match === null) return { sealed: false, json: text };
  const json = `${text.slice(0, match.index)}}`;
  return checksum(json) === match[1] ? { sealed: true, json } : { sealed: true, json: undefined };
}

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
