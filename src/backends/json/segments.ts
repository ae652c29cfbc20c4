import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { randomHex, syncDirectorySync, tempName, writeAll } from '../../core/durable-files.js';
import { compareText } from '../../core/stats.js';
import type { Outcome } from '../../core/types.js';
import type { SegmentEntry, TimeSpan } from './checkpoint.js';
import { bestEffort, listDir, withIo } from './io.js';
import { newSegmentName, segmentGeneration } from './layout.js';
import { readLinesSync } from './line-reader.js';
import { decodeOutcomes, encodeOutcomes } from './outcome-lines.js';
import { openEither } from './reads.js';
import { DamagedFileError, damagedLine } from './repair.js';

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
  visit: (outcomes: Outcome[], line: string) => void,
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
        visit(outcomes, line);
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
 * Adds a listed segment's ids to the set, skipping the part merged from segments whose ids are there
 * already. Returns false when the file does not exist.
 */
export function loadSegmentIds(
  file: string,
  entry: SegmentEntry,
  loaded: ReadonlySet<string>,
  ids: Set<string>,
): boolean {
  const { merged } = entry;
  const start = merged?.segments.every((name) => loaded.has(name)) ? merged.bytes : 0;
  return readSegment(
    file,
    entry,
    (outcomes) => {
      for (const outcome of outcomes) ids.add(outcome.id);
    },
    start,
  );
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
  #pending: string[] = [];
  #pendingBytes = 0;
  #bytes = 0;
  #outcomes = 0;
  #span: TimeSpan | undefined;
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
    this.#pending.push(line);
    this.#pendingBytes += bytes;
    this.#bytes += bytes;
    this.#outcomes += outcomes.length;
    for (const { timestamp } of outcomes) {
      if (this.#span === undefined) this.#span = { min: timestamp, max: timestamp };
      else if (timestamp < this.#span.min) this.#span.min = timestamp;
      else if (timestamp > this.#span.max) this.#span.max = timestamp;
    }
    if (this.#pendingBytes >= FLUSH_BYTES) this.#flush();
  }

  /**
   * Makes the segment durable under its final name; undefined (and no file) when it holds no outcome.
   * `merged`: the segments whose lines were copied first, as SegmentEntry.merged describes.
   */
  finish(merged: readonly SegmentEntry[] = []): SegmentEntry | undefined {
    this.#flush();
    withIo('write', this.#temp, () => fsyncSync(this.#fd));
    closeSync(this.#fd);
    this.#state = 'closed';
    if (this.#outcomes === 0) {
      this.#state = 'discarded';
      withIo('remove', this.#temp, () => unlinkSync(this.#temp));
      return undefined;
    }
    withIo('write', this.#final, () => {
      renameSync(this.#temp, this.#final);
      syncDirectorySync(this.#dir);
    });
    this.#state = 'finished';
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
    if (this.#pending.length === 0) return;
    const chunk = Buffer.from(this.#pending.join(''));
    this.#pending = [];
    this.#pendingBytes = 0;
    withIo('write', this.#temp, () => writeAll(this.#fd, chunk));
  }
}
