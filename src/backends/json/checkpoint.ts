import { statSync } from 'node:fs';
import { emptyCounters, type StatsCounters } from '../../core/stats.js';
import { hasControlCharacter, MAX_NAME_LENGTH } from '../../core/validation.js';
import { sealDocument } from './checksum.js';
import { checkDocument, type DocumentRead, readDocumentFile } from './document-file.js';
import { parseJournalId, segmentGeneration } from './file-names.js';
import { replaceFile, withIo } from './io.js';
import { isTimestamp } from './outcome-lines.js';
import { StatsTable } from './stats-table.js';

/**
 * The format version this code writes; a checkpoint with a higher one was written by a newer model-perf.
 * Version 2 added checksums (to the checkpoint and to every outcome line); version 1 files are read as
 * they are, without.
 */
export const CHECKPOINT_VERSION = 2;
/** The first version whose checkpoint must carry a checksum. */
const SEALED_VERSION = 2;
const FORMAT = 'model-perf-json-checkpoint';

export interface SegmentEntry {
  name: string;
  bytes: number;
  outcomes: number;
  /**
   * When the segment begins with the lines of older segments, copied byte for byte (a merge): their
   * names and total size. A reader that already knows their ids reads only the bytes after them.
   */
  merged?: { segments: string[]; bytes: number };
  /**
   * The earliest and latest timestamp among its outcomes, so that a read of a time window can skip
   * the whole segment. Absent in checkpoints written before spans existed: such a segment is read.
   */
  span?: TimeSpan;
}

/** Two stored timestamps, min <= max; they compare as text in time order (see isTimestamp). */
export interface TimeSpan {
  min: string;
  max: string;
}

/** A journal merged into a segment: its first `bytes` bytes are counted there. */
export interface CoveredJournal {
  id: string;
  bytes: number;
}

/**
 * The state every reader starts from: the segments (in fold order) and their aggregates.
 * Invariant: `stats` is exactly the fold of the outcomes in `segments`; journals are folded on top.
 */
export interface Checkpoint {
  generation: number;
  /** Random per checkpoint written, so that a reader can tell two checkpoints apart cheaply. */
  token: string;
  segments: SegmentEntry[];
  journals: CoveredJournal[];
  stats: StatsTable;
}

export function emptyCheckpoint(): Checkpoint {
  return { generation: 0, token: '', segments: [], journals: [], stats: new StatsTable() };
}

export type CheckpointRead = DocumentRead<{ kind: 'found'; checkpoint: Checkpoint }>;

/** Identifies the file currently at a path without reading it: a rename puts a new inode there. */
export function fileStamp(file: string): string | undefined {
  const stats = withIo('read', file, () => statSync(file, { bigint: true, throwIfNoEntry: false }));
  return stats === undefined ? undefined : `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

export function readCheckpoint(file: string): CheckpointRead {
  return readDocumentFile(file, parseCheckpoint);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.trim().length > 0 &&
    value.length <= MAX_NAME_LENGTH &&
    !hasControlCharacter(value)
  );
}

function parseCheckpoint(value: unknown, sealed: boolean): CheckpointRead {
  checkDocument(isRecord(value) && own(value, 'format') === FORMAT, `not a ${FORMAT} document`);
  const version = own(value, 'version');
  checkDocument(isCount(version) && version >= 1, 'no valid version');
  if (version > CHECKPOINT_VERSION) return { kind: 'newer', version };
  checkDocument(sealed || version < SEALED_VERSION, 'no checksum');
  const generation = own(value, 'generation');
  const token = own(value, 'token');
  const segments = own(value, 'segments');
  const journals = own(value, 'journals');
  const stats = own(value, 'stats');
  checkDocument(isCount(generation) && generation >= 1, 'no valid generation');
  checkDocument(typeof token === 'string' && token.length > 0, 'no token');
  checkDocument(Array.isArray(segments) && Array.isArray(journals) && Array.isArray(stats), 'missing lists');
  const checkpoint: Checkpoint = {
    generation,
    token,
    segments: segments.map(parseSegment),
    journals: journals.map(parseCoveredJournal),
    stats: new StatsTable(),
  };
  checkDocument(
    new Set(checkpoint.segments.map((segment) => segment.name)).size === segments.length,
    'a segment twice',
  );
  for (const entry of stats as unknown[]) parseStatsEntry(entry, checkpoint.stats);
  return { kind: 'found', checkpoint };
}

function parseSegment(value: unknown): SegmentEntry {
  checkDocument(isRecord(value), 'a segment entry is not an object');
  const name = own(value, 'name');
  const bytes = own(value, 'bytes');
  const outcomes = own(value, 'outcomes');
  const merged = own(value, 'merged');
  const span = own(value, 'span');
  checkDocument(typeof name === 'string' && segmentGeneration(name) !== undefined, 'a segment with an invalid name');
  checkDocument(isCount(bytes) && isCount(outcomes), `segment ${name}: invalid sizes`);
  const entry: SegmentEntry = { name, bytes, outcomes };
  if (merged !== undefined) entry.merged = parseMerged(name, bytes, merged);
  if (span !== undefined) entry.span = parseSpan(name, span);
  return entry;
}

function parseSpan(name: string, span: unknown): TimeSpan {
  checkDocument(isRecord(span), `segment ${name}: invalid span`);
  const min = own(span, 'min');
  const max = own(span, 'max');
  checkDocument(isTimestamp(min) && isTimestamp(max) && min <= max, `segment ${name}: invalid span`);
  return { min, max };
}

function parseMerged(name: string, bytes: number, merged: unknown): NonNullable<SegmentEntry['merged']> {
  checkDocument(isRecord(merged), `segment ${name}: invalid merged`);
  const mergedSegments = own(merged, 'segments');
  const mergedBytes = own(merged, 'bytes');
  checkDocument(
    Array.isArray(mergedSegments) &&
      mergedSegments.every((name) => typeof name === 'string' && segmentGeneration(name) !== undefined) &&
      isCount(mergedBytes) &&
      mergedBytes <= bytes,
    `segment ${name}: invalid merged`,
  );
  return { segments: mergedSegments as string[], bytes: mergedBytes };
}

function parseCoveredJournal(value: unknown): CoveredJournal {
  checkDocument(isRecord(value), 'a journal entry is not an object');
  const id = own(value, 'id');
  const bytes = own(value, 'bytes');
  checkDocument(typeof id === 'string' && parseJournalId(id) !== undefined, 'a journal with an invalid id');
  checkDocument(isCount(bytes), `journal ${id}: invalid size`);
  return { id, bytes };
}

const COUNT_FIELDS = ['successes', 'failures', 'timeouts', 'totalTokens', 'latencySamples'] as const;
const AMOUNT_FIELDS = ['totalCost', 'totalLatencyMs'] as const;

function parseStatsEntry(value: unknown, table: StatsTable): void {
  checkDocument(isRecord(value), 'a stats entry is not an object');
  const taskType = own(value, 'taskType');
  const modelId = own(value, 'modelId');
  const lastUsed = own(value, 'lastUsed');
  checkDocument(isName(taskType) && isName(modelId), 'a stats entry with an invalid name');
  checkDocument(table.get(taskType, modelId) === undefined, 'a stats entry twice');
  checkDocument(lastUsed === null || isTimestamp(lastUsed), 'a stats entry with an invalid lastUsed');
  const counters: StatsCounters = { ...emptyCounters(), lastUsed };
  for (const field of COUNT_FIELDS) {
    const count = own(value, field);
    checkDocument(isCount(count), `a stats entry with an invalid ${field}`);
    counters[field] = count;
  }
  for (const field of AMOUNT_FIELDS) {
    const amount = own(value, field);
    checkDocument(isAmount(amount), `a stats entry with an invalid ${field}`);
    counters[field] = amount;
  }
  table.set(taskType, modelId, counters);
}

function serialize(checkpoint: Checkpoint): string {
  const stats = [...checkpoint.stats.entries()].map(({ taskType, modelId, counters }) => ({
    taskType,
    modelId,
    ...counters,
  }));
  const { generation, token, segments, journals } = checkpoint;
  const writtenAt = new Date().toISOString();
  const document = {
    format: FORMAT,
    version: CHECKPOINT_VERSION,
    generation,
    token,
    writtenAt,
    segments,
    journals,
    stats,
  };
  return sealDocument(JSON.stringify(document));
}

/** Replaces the checkpoint atomically and durably (replaceFile). */
export function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  return replaceFile(file, serialize(checkpoint));
}
