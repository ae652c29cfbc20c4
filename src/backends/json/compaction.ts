import { closeSync, fstatSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { randomHex, TEMP_SUFFIX } from '../../core/durable-files.js';
import { compareText } from '../../core/stats.js';
import { isMissing } from '../../core/store-files.js';
import type { Outcome } from '../../core/types.js';
import { type Checkpoint, type CoveredJournal, type SegmentEntry, writeCheckpoint } from './checkpoint.js';
import { bestEffort, ioError, listDir, withIo } from './io.js';
import {
  CHECKPOINT_NAME,
  IMPORTS_NAME,
  isOwnerAlive,
  type JsonTuning,
  journalFileName,
  LOCK_NAME,
  parseJournalFileName,
  STEP_BYTES,
  type StoreLayout,
  segmentGeneration,
} from './layout.js';
import { readLines } from './line-reader.js';
import type { StoreLock } from './lock.js';
import { decodeOutcomes } from './outcome-lines.js';
import { openEither } from './reads.js';
import { DamagedFileError, damagedLine } from './repair.js';
import { indexedSegmentName, indexFile } from './segment-index.js';
import { readListedSegment, readSegment, SegmentWriter } from './segments.js';
import { StatsTable } from './stats-table.js';
import type { StoreView } from './store-view.js';

interface MergeableJournal {
  id: string;
  path: string;
  bytes: number;
}

export interface CompactionContext {
  layout: StoreLayout;
  view: StoreView;
  lock: StoreLock;
  tuning: JsonTuning;
}

/** Whether enough sealed or abandoned journals wait to make a compaction worth its cost. */
export function compactionDue(layout: StoreLayout, tuning: JsonTuning): boolean {
  let files = 0;
  let bytes = 0;
  for (const journal of mergeableJournals(layout, false)) {
    files += 1;
    bytes += journal.bytes;
  }
  return files >= tuning.compactMinFiles || bytes >= tuning.compactMinBytes;
}

/**
 * Merges sealed and abandoned journals (and small segments at the end) into one new segment, then
 * writes the next checkpoint, then removes what was merged. The caller holds the lock. It runs in
 * steps (STEP_BYTES), so other calls of this process interleave with it: they only read the view,
 * and whether the checkpoint changed meanwhile is checked before it is replaced.
 *
 * Why a crash at any step loses and doubles nothing: the new segment counts for nobody until the
 * checkpoint lists it (a crash before leaves an orphan that the next compaction removes); the
 * checkpoint is replaced by an atomic rename after both files are durable; the merged files are only
 * removed after that, and a leftover one is skipped (its bytes are listed as covered, and its ids are
 * in the segments, which readers fold first).
 */
export async function compact({ layout, view, lock, tuning }: CompactionContext): Promise<boolean> {
  await view.catchUp();
  const base = view.checkpoint;
  const leftovers = removeLeftovers(layout, base);
  const journals = claimJournals(layout, base, tuning.compactMaxBytes);
  if (journals.length === 0) return false;
  const incoming = journals.reduce((sum, journal) => sum + journal.bytes, 0);
  const tail = mergeableTail(base.segments, incoming, tuning.segmentMergeMaxBytes);
  const writer = new SegmentWriter(layout.segments, base.generation + 1);
  const merged = new Set<string>();
  let next: Checkpoint;
  let segment: SegmentEntry | undefined;
  const covered: CoveredJournal[] = [...leftovers];
  try {
    for (const segment of tail) {
      // Already counted in base.stats: copied as they are.
      await readListedSegment(
        path.join(layout.segments, segment.name),
        segment,
        (lines) => {
          for (const { text, outcomes } of lines) writer.copyLine(`${text}\n`, outcomes);
        },
        STEP_BYTES,
      );
      lock.touch();
    }
    const stats = base.stats.clone();
    for (const journal of journals) {
      const bytes = await mergeJournal(journal, (outcomes, line) => {
        const fresh = outcomes.filter((outcome) => !view.inSegments(outcome.id) && !merged.has(outcome.id));
        for (const outcome of fresh) {
          merged.add(outcome.id);
          stats.add(outcome);
        }
        // A line kept whole is already in the stored form: copied, not encoded again.
        if (fresh.length === outcomes.length) writer.copyLine(`${line}\n`, fresh);
        else writer.write(fresh);
      });
      covered.push({ id: journal.id, bytes });
      lock.touch();
    }
    segment = await writer.finish(tail);
    // Checked last thing before the checkpoint: a compaction whose lock was broken as stale, or that
    // started from a checkpoint someone replaced since, must not replace the checkpoint.
    if (!lock.isHeld() || !view.checkpointCurrent) {
      writer.discard();
      return false;
    }
    const kept = base.segments.slice(0, base.segments.length - tail.length);
    next = {
      generation: base.generation + 1,
      token: randomHex(8),
      segments: segment === undefined ? kept : [...kept, segment],
      journals: covered,
      stats,
    };
    await writeCheckpoint(layout.checkpoint, next);
  } catch (error) {
    writer.discard();
    throw error;
  }
  // Everything merged now lives in the new segment and the checkpoint, durably.
  for (const journal of journals) bestEffort(() => unlinkSync(journal.path));
  for (const segment of tail) removeSegment(layout, segment.name);
  const { index } = writer;
  const added = segment === undefined || index === undefined ? undefined : { name: segment.name, index };
  view.adoptCheckpoint(next, added, covered.slice(leftovers.length));
  return true;
}

/**
 * Replaces the checkpoint by a recount of the given segments, merged into one new segment without
 * repeated ids: the repair after a damaged or lost checkpoint or segment. The caller holds the lock.
 */
export async function rebuildCheckpoint(
  layout: StoreLayout,
  lock: StoreLock,
  segments: readonly string[],
  previousGeneration: number,
): Promise<Checkpoint> {
  const generation = Math.max(previousGeneration, ...segments.map((name) => segmentGeneration(name) ?? 0)) + 1;
  const writer = new SegmentWriter(layout.segments, generation);
  const stats = new StatsTable();
  const seen = new Set<string>();
  let next: Checkpoint;
  try {
    for (const name of segments) {
      const file = path.join(layout.segments, name);
      const found = readSegment(file, undefined, (outcomes) => {
        const fresh = outcomes.filter((outcome) => !seen.has(outcome.id));
        for (const outcome of fresh) {
          seen.add(outcome.id);
          stats.add(outcome);
        }
        writer.write(fresh);
      });
      if (!found) throw new DamagedFileError('segment', file, 'missing', false);
      lock.touch();
    }
    const segment = await writer.finish();
    if (!lock.isHeld()) throw ioError('rebuild', layout.checkpoint, new Error('the lock was taken over'));
    next = { generation, token: randomHex(8), segments: segment === undefined ? [] : [segment], journals: [], stats };
    await writeCheckpoint(layout.checkpoint, next);
  } catch (error) {
    writer.discard();
    throw error;
  }
  for (const name of segments) removeSegment(layout, name);
  return next;
}

/** A segment that left the store, with its index. */
function removeSegment(layout: StoreLayout, name: string): void {
  const file = path.join(layout.segments, name);
  bestEffort(() => unlinkSync(file));
  bestEffort(() => unlinkSync(indexFile(file)));
}

/**
 * Visits a journal's complete lines, a step at a time; returns the offset past the last one (a torn tail
 * is left out). The journal is sealed and claimed, so it no longer grows.
 */
async function mergeJournal(
  journal: MergeableJournal,
  visit: (outcomes: Outcome[], line: string) => void,
): Promise<number> {
  const fd = openEither('journal', journal.path, journal.path);
  if (fd === undefined) throw ioError('read', journal.path, new Error('it vanished while the lock was held'));
  try {
    const size = withIo('read', journal.path, () => fstatSync(fd).size);
    let end = 0;
    for await (const lines of readLines(fd, 0, size, STEP_BYTES)) {
      for (const { text, offset } of lines) {
        const decoded = decodeOutcomes(text);
        if (decoded === undefined) throw damagedLine('journal', journal.path, offset);
        visit(decoded, text);
        end = offset + Buffer.byteLength(text) + 1;
      }
    }
    return end;
  } catch (error) {
    throw error instanceof DamagedFileError
      ? error
      : withIo('read', journal.path, () => {
          throw error;
        });
  } finally {
    closeSync(fd);
  }
}

/**
 * The sealed journals, and the open ones whose writer is gone, in fold order. With `claim`, an
 * abandoned journal is first sealed (renamed) by this process: should its writer be alive after all,
 * it sees its file gone after its next write and writes that line again elsewhere.
 */
function mergeableJournals(layout: StoreLayout, claim: boolean, covered = new Set<string>()): MergeableJournal[] {
  const journals: MergeableJournal[] = [];
  for (const file of listDir(layout.journals)) {
    const name = parseJournalFileName(file);
    if (name === undefined || covered.has(name.id)) continue;
    if (!name.sealed && isOwnerAlive(name.host, name.pid)) continue;
    const sealed = path.join(layout.journals, journalFileName(name.id, true));
    if (!name.sealed && claim) {
      try {
        renameSync(path.join(layout.journals, file), sealed);
      } catch (error) {
        if (!isMissing(error)) throw ioError('seal', file, error);
      }
    }
    const listed = claim ? sealed : path.join(layout.journals, file);
    const stats = statSync(listed, { throwIfNoEntry: false });
    if (stats !== undefined && !journals.some((journal) => journal.id === name.id)) {
      journals.push({ id: name.id, path: listed, bytes: stats.size });
    }
  }
  return journals.sort((a, b) => compareText(a.id, b.id));
}

/** Claims journals in fold order, up to maxBytes (at least one). */
function claimJournals(layout: StoreLayout, base: Checkpoint, maxBytes: number): MergeableJournal[] {
  const covered = new Set(base.journals.map((journal) => journal.id));
  const picked: MergeableJournal[] = [];
  let total = 0;
  for (const journal of mergeableJournals(layout, true, covered)) {
    if (picked.length > 0 && total + journal.bytes > maxBytes) break;
    picked.push(journal);
    total += journal.bytes;
  }
  return picked;
}

/**
 * The small segments at the end that the new segment should absorb: each no bigger than what it
 * joins, so that sizes grow geometrically and every outcome is copied O(log n) times at most.
 */
function mergeableTail(segments: readonly SegmentEntry[], incoming: number, maxBytes: number): SegmentEntry[] {
  let total = incoming;
  let start = segments.length;
  for (let index = segments.length - 1; index >= 0; index -= 1) {
    const segment = segments[index];
    if (segment === undefined || segment.bytes > total || total + segment.bytes > maxBytes) break;
    total += segment.bytes;
    start = index;
  }
  return segments.slice(start);
}

/**
 * Removes what crashed compactions and repairs left: merged journals not yet removed, segments no
 * checkpoint lists (orphans, or merged into a newer one), temp files of the checkpoint and the imports
 * file (both replaced only under the lock), locks set aside while breaking them. Safe only
 * under the lock: no other compaction is between writing a segment and listing it. Returns the merged
 * journals that could not be removed, which the next checkpoint must still list as covered.
 */
function removeLeftovers(layout: StoreLayout, base: Checkpoint): CoveredJournal[] {
  const remaining: CoveredJournal[] = [];
  for (const journal of base.journals) {
    const files = [true, false].map((sealed) => path.join(layout.journals, journalFileName(journal.id, sealed)));
    for (const file of files) bestEffort(() => unlinkSync(file));
    if (files.some((file) => statSync(file, { throwIfNoEntry: false }) !== undefined)) remaining.push(journal);
  }
  for (const file of listDir(layout.journals)) {
    if (file.endsWith(TEMP_SUFFIX)) bestEffort(() => unlinkSync(path.join(layout.journals, file)));
  }
  const listed = new Set(base.segments.map((segment) => segment.name));
  for (const file of listDir(layout.segments)) {
    const indexed = indexedSegmentName(file);
    const orphan =
      (segmentGeneration(file) !== undefined && !listed.has(file)) || (indexed !== undefined && !listed.has(indexed));
    if (orphan || file.endsWith(TEMP_SUFFIX)) bestEffort(() => unlinkSync(path.join(layout.segments, file)));
  }
  for (const file of listDir(layout.dir)) {
    const replacedUnderLock = [CHECKPOINT_NAME, IMPORTS_NAME].some((name) => file.startsWith(`${name}.`));
    const tempFile = replacedUnderLock && file.endsWith(TEMP_SUFFIX);
    const brokenLock = file.startsWith(`${LOCK_NAME}.`) && file.endsWith('.stale');
    if (tempFile || brokenLock) bestEffort(() => unlinkSync(path.join(layout.dir, file)));
  }
  return remaining;
}
