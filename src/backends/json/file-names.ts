import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

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

export function randomHex(bytes = 4): string {
  return randomBytes(bytes).toString('hex');
}

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
