import { closeSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ModelPerfError } from '../../core/errors.js';
import { compareText } from '../../core/stats.js';
import type { Outcome } from '../../core/types.js';
import {
  CHECKPOINT_VERSION,
  type Checkpoint,
  type CoveredJournal,
  emptyCheckpoint,
  fileStamp,
  readCheckpoint,
} from './checkpoint.js';
import { newerFormatError } from './document-file.js';
import { listDir, withIo } from './io.js';
import type { JournalAppend } from './journal.js';
import { journalFileName, parseJournalFileName, STEP_BYTES, type StoreLayout } from './layout.js';
import { readLinesSync } from './line-reader.js';
import { decodeOutcomes } from './outcome-lines.js';
import { openEither, type ReadSource, skipKey } from './reads.js';
import { DamagedFileError, damagedLine } from './repair.js';
import { SegmentIds, type SegmentIndex } from './segment-index.js';
import { listSegmentFiles, loadSegmentIndex } from './segments.js';
import type { StatsTable } from './stats-table.js';

interface JournalCursor {
  id: string;
  /** Its file name when last seen: *.open.jsonl moves to *.jsonl once, when sealed. */
  file: string;
  /** Bytes before this offset are counted in the checkpoint already (a merged journal not yet removed). */
  start: number;
  /** The offset past the last folded line. */
  folded: number;
  /** Outcomes of this journal not counted because their id is counted elsewhere (skipKey). */
  skipped: Set<string>;
  /** The ids this journal brought into the counts: they leave with it when a compaction merges it. */
  ids: string[];
}

/** 'interrupted': the view changed under a fold that had yielded (a compaction of this instance, a repair). */
type FoldVerdict = 'done' | 'vanished' | 'shrunk' | 'duplicate' | 'interrupted';

/**
 * How long one slice of a catch-up may hold the event loop. Folding a line takes microseconds, so the
 * deadline is checked after each one, and a slow or busy machine folds fewer lines per slice.
 */
const SLICE_MS = 4;

/** Ids forgotten per slice: deleting one from a large set takes about a microsecond. */
const DROP_SLICE_IDS = 5_000;

/** Enough for any sequence of compactions racing a catch-up; past it the store dir is being rewritten wholesale. */
const MAX_CATCH_UP_ATTEMPTS = 20;

/**
 * What this store instance knows: the checkpoint's aggregates plus every complete journal line,
 * folded in a fixed order (segments, then journals by id, each from its start) where the first
 * occurrence of an id counts and later ones are skipped.
 *
 * catchUp() brings it up to date cheaply: it stats the checkpoint, lists the journals, and folds only
 * the bytes appended since the last catch-up, in slices. When that order could differ from a fold from
 * scratch (a journal vanished, shrank, or brought an id that another journal brought first) it folds the
 * journals again from scratch, so that every instance reaches the same counts from the same files.
 */
export class StoreView {
  readonly #layout: StoreLayout;
  #checkpoint: Checkpoint = emptyCheckpoint();
  #checkpointStamp: string | undefined;
  #stats: StatsTable = this.#checkpoint.stats.clone();
  /** The id indexes of the checkpoint's segments. */
  readonly #segmentIds = new SegmentIds();
  #cursors = new Map<string, JournalCursor>();
  /**
   * Every id the cursors brought in, so that a fold asks one set per outcome, not one per journal. The
   * ids of merged journals leave it a slice at a time (#dropPending): until then they are also in a
   * segment, which every lookup asks first, so they change no answer.
   */
  #journalIds = new Set<string>();
  #pendingDrops: string[][] = [];
  /** Counts the changes made to the view from outside a catch-up; a catch-up that sees it move starts over. */
  #epoch = 0;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  /** True while journals are folded from scratch, in id order: a repeated id is then resolved as a fresh open would. */
  #fromScratch = true;
  #stale = true;
  #caughtUpAt = 0;

  constructor(layout: StoreLayout) {
    this.#layout = layout;
  }

  get checkpoint(): Checkpoint {
    return this.#checkpoint;
  }

  get stats(): StatsTable {
    return this.#stats;
  }

  /** Whether the checkpoint file is still the one this view loaded. */
  get checkpointCurrent(): boolean {
    return !this.#stale && fileStamp(this.#layout.checkpoint) === this.#checkpointStamp;
  }

  hasId(id: string): boolean {
    return this.#journalIds.has(id) || this.#segmentIds.has(id);
  }

  inSegments(id: string): boolean {
    return this.#segmentIds.has(id);
  }

  /** The outcome a segment holds under the id, found through the index (one line read). */
  segmentOutcome(id: string): Outcome | undefined {
    return this.#segmentIds.find(id);
  }

  /** When a catch-up last brought the view up to date (performance.now()). */
  get caughtUpAt(): number {
    return this.#caughtUpAt;
  }

  /**
   * Brings the view up to date with the files as they are when it is called, at least. The work is cut
   * into slices (SLICE_MS of folding journal lines, or one segment index), with a turn of the event
   * loop between two, so that what other processes appended never holds the caller's loop for long.
   * Calls made meanwhile share one catch-up: the one running, then at most one more after it.
   */
  catchUp(): Promise<void> {
    if (this.#running === undefined) return this.#startCatchUp();
    const ignore = (): void => undefined;
    this.#queued ??= this.#running.then(ignore, ignore).then(() => {
      this.#queued = undefined;
      return this.#startCatchUp();
    });
    return this.#queued;
  }

  #startCatchUp(): Promise<void> {
    const run = this.#catchUpOnce().finally(() => {
      this.#running = undefined;
    });
    this.#running = run;
    return run;
  }

  async #catchUpOnce(): Promise<void> {
    for (let attempt = 0; attempt < MAX_CATCH_UP_ATTEMPTS; attempt += 1) {
      const epoch = this.#epoch;
      if (!this.checkpointCurrent && !(await this.#loadCheckpoint(epoch))) continue;
      const verdict = await this.#foldJournals(epoch);
      if (verdict === 'done') {
        this.#caughtUpAt = performance.now();
        while (this.#dropPending()) await nextTurn();
        return;
      }
      if (verdict === 'vanished') this.#stale = true;
      // A fold from scratch must visit the journals in order, from the first: it starts again.
      else if (verdict !== 'interrupted' || this.#fromScratch) this.#resetJournals();
    }
    throw new ModelPerfError(
      'MP_IO',
      `The files of the JSON store in ${this.#layout.dir} kept changing while they were read; retry.`,
      { file: this.#layout.dir },
    );
  }

  /** Reload the checkpoint and fold the journals from scratch at the next catch-up. */
  markStale(): void {
    this.#stale = true;
    this.#epoch += 1;
  }

  /** Forget everything, segment ids included: a segment left the store. */
  invalidate(): void {
    this.#segmentIds.clear();
    this.#checkpoint = emptyCheckpoint();
    this.markStale();
  }

  /**
   * Counts this instance's own line, just appended: no need to read it back. Only when the view had
   * folded its journal up to that line; otherwise (a catch-up is folding the journals from scratch, or
   * is behind on this one) the line is left in the file, where the next catch-up folds it.
   */
  foldOwnWrite(append: JournalAppend, outcomes: readonly Outcome[]): void {
    let cursor = this.#cursors.get(append.journalId);
    if (cursor === undefined && append.offset === 0 && !this.#fromScratch) {
      const file = journalFileName(append.journalId, false);
      cursor = { id: append.journalId, file, start: 0, folded: 0, skipped: new Set(), ids: [] };
      this.#cursors.set(cursor.id, cursor);
    }
    if (cursor?.folded !== append.offset) return;
    for (const outcome of outcomes) this.#count(cursor, outcome);
    cursor.folded += append.bytes;
  }

  #count(cursor: JournalCursor, outcome: Outcome): void {
    cursor.ids.push(outcome.id);
    this.#journalIds.add(outcome.id);
    this.#stats.add(outcome);
  }

  #dropCursor(cursor: JournalCursor): void {
    if (cursor.ids.length > 0) this.#pendingDrops.push(cursor.ids);
    this.#cursors.delete(cursor.id);
  }

  /** Forgets the ids of merged journals, about a slice's worth per call; returns false once none are left. */
  #dropPending(): boolean {
    let budget = DROP_SLICE_IDS;
    while (budget > 0) {
      const ids = this.#pendingDrops.at(-1);
      if (ids === undefined) return false;
      const count = Math.min(budget, ids.length);
      for (const id of ids.splice(ids.length - count, count)) this.#journalIds.delete(id);
      if (ids.length === 0) this.#pendingDrops.pop();
      budget -= count;
    }
    return this.#pendingDrops.length > 0;
  }

  /**
   * After this instance wrote a checkpoint: take it, with the index of the segment it added, without
   * reading it back. When the view had folded exactly what was merged (the usual case: its own
   * journals), its counts are already those of the new checkpoint plus the journals left, so only the
   * merged cursors go; otherwise it folds the journals again from scratch at the next catch-up. Folding
   * them from scratch every time would read every journal written since, in one synchronous piece.
   */
  adoptCheckpoint(
    checkpoint: Checkpoint,
    added: { name: string; index: SegmentIndex } | undefined,
    mergedJournals: readonly CoveredJournal[],
  ): void {
    if (this.#checkpoint.token === checkpoint.token) return;
    this.#epoch += 1;
    if (added !== undefined)
      this.#segmentIds.add(added.name, path.join(this.#layout.segments, added.name), added.index);
    this.#segmentIds.retain(new Set(checkpoint.segments.map((segment) => segment.name)));
    // Not stale: the view still stands on the checkpoint the compaction started from (it checked).
    const exact = !this.#stale && this.#foldedExactly(mergedJournals);
    this.#checkpoint = checkpoint;
    if (!exact) {
      this.#stale = true;
      return;
    }
    this.#dropMerged(mergedJournals);
    // This instance holds the lock: nobody else replaced the file since it was written.
    this.#checkpointStamp = fileStamp(this.#layout.checkpoint);
  }

  /**
   * Whether the counts of this view equal those of a checkpoint that merged these journals plus what
   * the other journals hold: it folded exactly the merged bytes of each, and skipped no outcome
   * anywhere (a skip means an id came twice, and which copy counts may then change).
   */
  #foldedExactly(mergedJournals: readonly CoveredJournal[]): boolean {
    return (
      mergedJournals.every((journal) => this.#cursors.get(journal.id)?.folded === journal.bytes) &&
      [...this.#cursors.values()].every((cursor) => cursor.skipped.size === 0)
    );
  }

  /**
   * The next checkpoint of another process's compaction, taken without folding the journals again:
   * it merged journals this view folded exactly, into a new segment after the ones it kept.
   */
  #advanceTo(next: Checkpoint): boolean {
    const previous = this.#checkpoint;
    if (this.#stale || next.generation !== previous.generation + 1) return false;
    const kept = next.segments.length - 1;
    if (kept < 0 || kept > previous.segments.length) return false;
    if (!next.segments.slice(0, kept).every((segment, index) => segment.name === previous.segments[index]?.name)) {
      return false;
    }
    const before = new Set(previous.journals.map((journal) => journal.id));
    const merged = next.journals.filter((journal) => !before.has(journal.id));
    if (!this.#foldedExactly(merged)) return false;
    this.#dropMerged(merged);
    return true;
  }

  #dropMerged(merged: readonly CoveredJournal[]): void {
    for (const journal of merged) {
      const cursor = this.#cursors.get(journal.id);
      if (cursor !== undefined) this.#dropCursor(cursor);
    }
  }

  /** The byte ranges that hold what this view counts, in fold order. */
  readSources(): ReadSource[] {
    const sources: ReadSource[] = this.#checkpoint.segments.map((segment) => {
      const file = path.join(this.#layout.segments, segment.name);
      const source: ReadSource = {
        kind: 'segment',
        path: file,
        movedPath: file,
        start: 0,
        end: segment.bytes,
        skipped: new Set(),
      };
      if (segment.span !== undefined) source.span = segment.span;
      return source;
    });
    const cursors = [...this.#cursors.values()].sort((a, b) => compareText(a.id, b.id));
    for (const cursor of cursors) {
      if (cursor.folded === cursor.start) continue;
      sources.push({
        kind: 'journal',
        path: path.join(this.#layout.journals, cursor.file),
        movedPath: path.join(this.#layout.journals, journalFileName(cursor.id, true)),
        start: cursor.start,
        end: cursor.folded,
        skipped: new Set(cursor.skipped),
      });
    }
    return sources;
  }

  /**
   * Returns false when the checkpoint changed while it was loaded, or the view changed while it
   * yielded (between two segment indexes): the catch-up tries again.
   */
  async #loadCheckpoint(epoch: number): Promise<boolean> {
    const file = this.#layout.checkpoint;
    const stamp = fileStamp(file);
    const next = this.#readCheckpoint(stamp);
    if (next === undefined) return false;
    let advanced = false;
    if (next.token !== this.#checkpoint.token) {
      for (const segment of next.segments) {
        if (this.#segmentIds.loaded(segment.name)) continue;
        await nextTurn();
        if (this.#epoch !== epoch) return false;
        const segmentFile = path.join(this.#layout.segments, segment.name);
        const index = loadSegmentIndex(segmentFile, segment);
        if (index === false) {
          // Merged into a newer segment and removed since this checkpoint was read: read the newer one.
          if (fileStamp(file) !== stamp) return false;
          throw new DamagedFileError('segment', segmentFile, 'listed in the checkpoint but missing', false);
        }
        this.#segmentIds.add(segment.name, segmentFile, index);
      }
      this.#segmentIds.retain(new Set(next.segments.map((segment) => segment.name)));
      advanced = this.#advanceTo(next);
      this.#checkpoint = next;
    }
    this.#checkpointStamp = stamp;
    this.#stale = false;
    if (!advanced) this.#resetJournals();
    return true;
  }

  #readCheckpoint(stamp: string | undefined): Checkpoint | undefined {
    const file = this.#layout.checkpoint;
    const read = readCheckpoint(file);
    switch (read.kind) {
      case 'found':
        return read.checkpoint;
      case 'newer':
        throw newerFormatError(file, read.version, CHECKPOINT_VERSION);
      case 'corrupt':
        throw new DamagedFileError('checkpoint', file, read.problem);
      case 'missing':
        // Present a moment ago: it is being replaced; read it again.
        if (stamp !== undefined) return undefined;
        if (listSegmentFiles(this.#layout.segments).length > 0) {
          throw new DamagedFileError('checkpoint', file, 'missing while segments exist', false);
        }
        return emptyCheckpoint();
    }
  }

  #resetJournals(): void {
    this.#stats = this.#checkpoint.stats.clone();
    this.#cursors = new Map();
    this.#journalIds = new Set();
    this.#pendingDrops = [];
    this.#fromScratch = true;
  }

  async #foldJournals(epoch: number): Promise<FoldVerdict> {
    let deadline = performance.now() + SLICE_MS;
    const present = listJournals(this.#layout.journals);
    for (const [id, cursor] of this.#cursors) {
      if (present.has(id)) continue;
      // Merged and removed by a compaction whose checkpoint this view has taken: it counts nothing here.
      if (cursor.folded === cursor.start && cursor.ids.length === 0) this.#cursors.delete(id);
      else return 'vanished';
    }
    const covered = new Map(this.#checkpoint.journals.map((journal) => [journal.id, journal.bytes]));
    for (const [id, file] of [...present].sort(([a], [b]) => compareText(a, b))) {
      let cursor = this.#cursors.get(id);
      if (cursor === undefined) {
        const start = covered.get(id) ?? 0;
        cursor = { id, file, start, folded: start, skipped: new Set(), ids: [] };
        this.#cursors.set(id, cursor);
      }
      // A stat is enough for the usual case, a journal that has not grown.
      const listed = `${this.#layout.journals}${path.sep}${file}`;
      const sealed = `${this.#layout.journals}${path.sep}${journalFileName(id, true)}`;
      cursor.file = file;
      const size = fileSize(listed) ?? fileSize(sealed);
      if (size === undefined) return 'vanished';
      if (size < cursor.folded) return 'shrunk';
      if (size === cursor.folded) continue;
      const fd = openEither('journal', listed, sealed);
      if (fd === undefined) return 'vanished';
      try {
        // Up to the size seen now: lines appended later are the next catch-up's.
        for (;;) {
          const verdict = this.#foldSlice(cursor, fd, listed, size, deadline);
          if (verdict !== 'done') return verdict;
          if (performance.now() < deadline) break;
          await nextTurn();
          if (this.#epoch !== epoch) return 'interrupted';
          deadline = performance.now() + SLICE_MS;
        }
      } finally {
        closeSync(fd);
      }
    }
    this.#fromScratch = false;
    return 'done';
  }

  /**
   * Folds the complete lines from the cursor on, up to `end`, until the deadline passes (at least one
   * line, however long: a large recordMany). A torn tail or a line being written is left for later.
   */
  #foldSlice(cursor: JournalCursor, fd: number, file: string, end: number, deadline: number): FoldVerdict {
    let verdict: FoldVerdict = 'done';
    const folded = withIo('read', file, () =>
      readLinesSync(
        fd,
        cursor.folded,
        end,
        (line, offset) => {
          const outcomes = decodeOutcomes(line);
          if (outcomes === undefined) throw damagedLine('journal', file, offset);
          verdict = this.#foldLine(cursor, offset, outcomes);
          return verdict === 'done' && performance.now() < deadline;
        },
        STEP_BYTES,
      ),
    );
    if (verdict === 'done') cursor.folded = folded;
    return verdict;
  }

  #foldLine(cursor: JournalCursor, offset: number, outcomes: readonly Outcome[]): FoldVerdict {
    for (const [index, outcome] of outcomes.entries()) {
      if (this.#segmentIds.has(outcome.id)) {
        cursor.skipped.add(skipKey(offset, index));
      } else if (this.#journalIds.has(outcome.id)) {
        // Counted already from another journal: which copy a fresh fold keeps depends on the order of
        // the journals, which only a fold from scratch follows.
        if (!this.#fromScratch) return 'duplicate';
        cursor.skipped.add(skipKey(offset, index));
      } else {
        this.#count(cursor, outcome);
      }
    }
    return 'done';
  }
}

function fileSize(file: string): number | undefined {
  // lstat: a symlink's own size is never 0, so it is opened, refused and quarantined, not measured through.
  return withIo('read', file, () => lstatSync(file, { throwIfNoEntry: false })?.size);
}

/** The journals in the directory: id -> file name (the sealed name when a listing caught both). */
function listJournals(dir: string): Map<string, string> {
  const journals = new Map<string, string>();
  for (const file of listDir(dir)) {
    const name = parseJournalFileName(file);
    if (name !== undefined && (name.sealed || !journals.has(name.id))) journals.set(name.id, file);
  }
  return journals;
}
