import { closeSync, fstatSync, mkdirSync, openSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { randomHex, syncDirectory, tempName, writeAll } from '../../core/durable-files.js';
import { compareText } from '../../core/stats.js';
import type { Outcome } from '../../core/types.js';
import type { SegmentEntry, TimeSpan } from './checkpoint.js';
import { bestEffort, ioError, listDir, syncFile, withIo } from './io.js';
import { newSegmentName, segmentGeneration } from './layout.js';
import { type Line, readLines, readLinesSync } from './line-reader.js';
import { decodeOutcomes, encodeOutcomes } from './outcome-lines.js';
import { openEither } from './reads.js';
import { DamagedFileError, damagedLine } from './repair.js';
import { IndexBuilder, MAX_INDEXED_BYTES, readIndexFile, SegmentIndex, writeIndexFile } from './segment-index.js';

/** The segment files in the directory, listed or not, in name (= generation) order. */
export function listSegmentFiles(dir: string): string[] {
  return listDir(dir)
    .filter((file) => segmentGeneration(file) !== undefined)
    .sort(compareText);
}

/**
 * Visits every outcome line of a segment from byte `start`, validated. When `expected` is given, the
 * file must match the checkpoint's entry exactly (segments are immutable). Returns false when the file
 * does not exist.
 */
export function readSegment(
  file: string,
  expected: SegmentEntry | undefined,
  visit: (outcomes: Outcome[], line: string, offset: number) => void,
  start = 0,
): boolean {
  const fd = openEither('segment', file, file);
  if (fd === undefined) return false;
  try {
    const size = withIo('read', file, () => fstatSync(fd).size);
    if (expected !== undefined && size !== expected.bytes) {
      throw new DamagedFileError('segment', file, `${size} bytes where the checkpoint lists ${expected.bytes}`);
    }
    let count = 0;
    const end = withIo('read', file, () =>
      readLinesSync(fd, start, size, (line, offset) => {
        const outcomes = decodeOutcomes(line);
        if (outcomes === undefined) throw damagedLine('segment', file, offset);
        count += outcomes.length;
        visit(outcomes, line, offset);
        return true;
      }),
    );
    if (end !== size) throw new DamagedFileError('segment', file, 'its last line is incomplete');
    if (expected !== undefined && start === 0 && count !== expected.outcomes) {
      throw new DamagedFileError('segment', file, `${count} outcomes where the checkpoint lists ${expected.outcomes}`);
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * readSegment for a listed segment, without holding the event loop: lines come a chunk at a time
 * (`chunkBytes`), read off the event loop, and are visited whole (checked, with the lines they hold).
 */
export async function readListedSegment(
  file: string,
  expected: SegmentEntry,
  visit: (lines: ReadonlyArray<Line & { outcomes: Outcome[] }>) => void,
  chunkBytes: number,
): Promise<void> {
  const fd = openEither('segment', file, file);
  if (fd === undefined) throw new DamagedFileError('segment', file, 'listed in the checkpoint but missing', false);
  try {
    const size = withIo('read', file, () => fstatSync(fd).size);
    if (size !== expected.bytes) {
      throw new DamagedFileError('segment', file, `${size} bytes where the checkpoint lists ${expected.bytes}`);
    }
    let end = 0;
    let count = 0;
    for await (const lines of readLines(fd, 0, size, chunkBytes)) {
      const checked = lines.map(({ text, offset }) => {
        const outcomes = decodeOutcomes(text);
        if (outcomes === undefined) throw damagedLine('segment', file, offset);
        count += outcomes.length;
        end = offset + Buffer.byteLength(text) + 1;
        return { text, offset, outcomes };
      });
      visit(checked);
    }
    if (end !== size) throw new DamagedFileError('segment', file, 'its last line is incomplete');
    if (count !== expected.outcomes) {
      throw new DamagedFileError('segment', file, `${count} outcomes where the checkpoint lists ${expected.outcomes}`);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The id index of a listed segment: its index file, or (missing, damaged, or from before index files)
 * one built by reading the segment, then written beside it for the next open. Returns false when the
 * segment does not exist.
 */
export function loadSegmentIndex(file: string, entry: SegmentEntry): SegmentIndex | false {
  const fd = openEither('segment', file, file);
  if (fd === undefined) return false;
  // The size finds a segment cut short or grown; damage that keeps the size is found by the reads.
  const size = withIo('read', file, () => {
    try {
      return fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  });
  if (size !== entry.bytes) {
    throw new DamagedFileError('segment', file, `${size} bytes where the checkpoint lists ${entry.bytes}`);
  }
  const stored = readIndexFile(file, entry.bytes, entry.outcomes);
  if (stored !== undefined) return stored;
  const builder = new IndexBuilder();
  const found = readSegment(file, entry, (outcomes, _line, offset) => {
    for (const outcome of outcomes) builder.add(outcome.id, offset);
  });
  if (!found) return false;
  const index = SegmentIndex.build(builder);
  if (entry.bytes <= MAX_INDEXED_BYTES) writeIndexFile(file, index, entry.bytes);
  return index;
}

const FLUSH_BYTES = 1 << 20;

/**
 * Writes a new segment: into a temp file, then fsync, rename to its final name, fsync of the
 * directory. Until a checkpoint lists it, readers ignore it, so a crash at any step loses nothing.
 */
export class SegmentWriter {
  readonly name: string;
  readonly #final: string;
  readonly #temp: string;
  readonly #dir: string;
  readonly #fd: number;
  /** Lines are copied into this one buffer as they come: no array of strings, and no joined copy per flush. */
  readonly #pending = Buffer.allocUnsafe(FLUSH_BYTES);
  #pendingBytes = 0;
  #bytes = 0;
  #outcomes = 0;
  #span: TimeSpan | undefined;
  #ids = new IndexBuilder();
  #index: SegmentIndex | undefined;
  #state: 'writing' | 'closed' | 'finished' | 'discarded' = 'writing';

  constructor(dir: string, generation: number) {
    this.#dir = dir;
    this.name = newSegmentName(generation);
    this.#final = path.join(dir, this.name);
    this.#temp = tempName(this.#final, randomHex());
    this.#fd = withIo('create', this.#temp, () => {
      mkdirSync(dir, { recursive: true });
      return openSync(this.#temp, 'wx');
    });
  }

  write(outcomes: readonly Outcome[]): void {
    if (outcomes.length > 0) this.copyLine(encodeOutcomes(outcomes), outcomes);
  }

  /** Appends a line already in the stored form, with its newline; `outcomes` are what it holds. */
  copyLine(line: string, outcomes: readonly Outcome[]): void {
    const bytes = Buffer.byteLength(line);
    for (const { id } of outcomes) this.#ids.add(id, this.#bytes);
    if (this.#pendingBytes + bytes > FLUSH_BYTES) this.#flush();
    if (bytes > FLUSH_BYTES) {
      const whole = Buffer.from(line);
      withIo('write', this.#temp, () => writeAll(this.#fd, whole));
    } else {
      this.#pendingBytes += this.#pending.write(line, this.#pendingBytes);
    }
    this.#bytes += bytes;
    this.#outcomes += outcomes.length;
    for (const { timestamp } of outcomes) {
      if (this.#span === undefined) this.#span = { min: timestamp, max: timestamp };
      else if (timestamp < this.#span.min) this.#span.min = timestamp;
      else if (timestamp > this.#span.max) this.#span.max = timestamp;
    }
  }

  /** The id index of the finished segment (also written beside it). */
  get index(): SegmentIndex | undefined {
    return this.#index;
  }

  /**
   * Makes the segment durable under its final name; undefined (and no file) when it holds no outcome.
   * `merged`: the segments whose lines were copied first, as SegmentEntry.merged describes. The fsync
   * of the file, the long part, runs off the event loop.
   */
  async finish(merged: readonly SegmentEntry[] = []): Promise<SegmentEntry | undefined> {
    this.#flush();
    await syncFile(this.#fd, this.#temp);
    closeSync(this.#fd);
    this.#state = 'closed';
    if (this.#outcomes === 0) {
      this.#state = 'discarded';
      withIo('remove', this.#temp, () => unlinkSync(this.#temp));
      return undefined;
    }
    withIo('write', this.#final, () => renameSync(this.#temp, this.#final));
    await syncDirectory(this.#dir).catch((error: unknown) => {
      throw ioError('write', this.#final, error);
    });
    this.#state = 'finished';
    this.#index = SegmentIndex.build(this.#ids);
    writeIndexFile(this.#final, this.#index, this.#bytes);
    const entry: SegmentEntry = { name: this.name, bytes: this.#bytes, outcomes: this.#outcomes };
    if (merged.length > 0) {
      const bytes = merged.reduce((sum, segment) => sum + segment.bytes, 0);
      entry.merged = { segments: merged.map((segment) => segment.name), bytes };
    }
    if (this.#span !== undefined) entry.span = { ...this.#span };
    return entry;
  }

  /** Removes what was written, finished or not: the segment will not be listed. */
  discard(): void {
    if (this.#state === 'discarded') return;
    if (this.#state === 'writing') bestEffort(() => closeSync(this.#fd));
    const file = this.#state === 'finished' ? this.#final : this.#temp;
    this.#state = 'discarded';
    bestEffort(() => unlinkSync(file));
  }

  #flush(): void {
    if (this.#pendingBytes === 0) return;
    const chunk = this.#pending.subarray(0, this.#pendingBytes);
    this.#pendingBytes = 0;
    withIo('write', this.#temp, () => writeAll(this.#fd, chunk));
  }
}
