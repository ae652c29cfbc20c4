import { statSync } from 'node:fs';
import { RECENCY_FIELDS } from '../../core/recency.js';
import { emptyCounters, type StatsCounters } from '../../core/stats.js';
import { isAmount, isCount, isName, isPlainRecord, ownValue } from '../../core/validation.js';
import { checkDocument, type DocumentRead, readDocumentFile, sealDocument } from './document-file.js';
import { replaceFile, withIo } from './io.js';
import { parseJournalId, segmentGeneration } from './layout.js';
import { isTimestamp } from './outcome-lines.js';
import { StatsTable } from './stats-table.js';

/**
 * The one format version this code reads and writes; a checkpoint with a higher one was written by a
 * newer model-perf. Any other is damage (the checkpoint is rebuilt from the segments and journals).
 * Version 3: the stats carry tokenSamples, costSamples and the recency counters.
 */
export const CHECKPOINT_VERSION = 3;
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
   * the whole segment. Absent only for a segment without outcomes.
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

function parseCheckpoint(value: unknown, sealed: boolean): CheckpointRead {
  checkDocument(isPlainRecord(value) && ownValue(value, 'format') === FORMAT, `not a ${FORMAT} document`);
  const version = ownValue(value, 'version');
  checkDocument(isCount(version) && version >= 1, 'no valid version');
  if (version > CHECKPOINT_VERSION) return { kind: 'newer', version };
  checkDocument(version === CHECKPOINT_VERSION, `unsupported version ${version}`);
  checkDocument(sealed, 'no checksum');
  const generation = ownValue(value, 'generation');
  const token = ownValue(value, 'token');
  const segments = ownValue(value, 'segments');
  const journals = ownValue(value, 'journals');
  const stats = ownValue(value, 'stats');
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
  checkDocument(isPlainRecord(value), 'a segment entry is not an object');
  const name = ownValue(value, 'name');
  const bytes = ownValue(value, 'bytes');
  const outcomes = ownValue(value, 'outcomes');
  const merged = ownValue(value, 'merged');
  const span = ownValue(value, 'span');
  checkDocument(typeof name === 'string' && segmentGeneration(name) !== undefined, 'a segment with an invalid name');
  checkDocument(isCount(bytes) && isCount(outcomes), `segment ${name}: invalid sizes`);
  const entry: SegmentEntry = { name, bytes, outcomes };
  if (merged !== undefined) entry.merged = parseMerged(name, bytes, merged);
  checkDocument(span !== undefined || outcomes === 0, `segment ${name}: no span`);
  if (span !== undefined) entry.span = parseSpan(name, span);
  return entry;
}

function parseSpan(name: string, span: unknown): TimeSpan {
  checkDocument(isPlainRecord(span), `segment ${name}: invalid span`);
  const min = ownValue(span, 'min');
  const max = ownValue(span, 'max');
  checkDocument(isTimestamp(min) && isTimestamp(max) && min <= max, `segment ${name}: invalid span`);
  return { min, max };
}

function parseMerged(name: string, bytes: number, merged: unknown): NonNullable<SegmentEntry['merged']> {
  checkDocument(isPlainRecord(merged), `segment ${name}: invalid merged`);
  const mergedSegments = ownValue(merged, 'segments');
  const mergedBytes = ownValue(merged, 'bytes');
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
  checkDocument(isPlainRecord(value), 'a journal entry is not an object');
  const id = ownValue(value, 'id');
  const bytes = ownValue(value, 'bytes');
  checkDocument(typeof id === 'string' && parseJournalId(id) !== undefined, 'a journal with an invalid id');
  checkDocument(isCount(bytes), `journal ${id}: invalid size`);
  return { id, bytes };
}

const COUNT_FIELDS = [
  'successes',
  'failures',
  'timeouts',
  'totalTokens',
  'tokenSamples',
  'costSamples',
  'latencySamples',
] as const;
const AMOUNT_FIELDS = ['totalCost', 'totalLatencyMs', ...RECENCY_FIELDS] as const;

function parseStatsEntry(value: unknown, table: StatsTable): void {
  checkDocument(isPlainRecord(value), 'a stats entry is not an object');
  const taskType = ownValue(value, 'taskType');
  const modelId = ownValue(value, 'modelId');
  const lastUsed = ownValue(value, 'lastUsed');
  checkDocument(isName(taskType) && isName(modelId), 'a stats entry with an invalid name');
  checkDocument(table.get(taskType, modelId) === undefined, 'a stats entry twice');
  checkDocument(lastUsed === null || isTimestamp(lastUsed), 'a stats entry with an invalid lastUsed');
  const counters: StatsCounters = { ...emptyCounters(), lastUsed };
  for (const field of COUNT_FIELDS) {
    const count = ownValue(value, field);
    checkDocument(isCount(count), `a stats entry with an invalid ${field}`);
    counters[field] = count;
  }
  for (const field of AMOUNT_FIELDS) {
    const amount = ownValue(value, field);
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
