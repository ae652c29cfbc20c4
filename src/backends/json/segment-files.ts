import { closeSync, fstatSync, openSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { compareText } from '../../core/stats.js';
import type { Outcome } from '../../core/types.js';
import type { SegmentEntry } from './checkpoint.js';
import { DamagedFileError, damagedLine } from './corruption.js';
import { segmentGeneration } from './file-names.js';
import { ioError, isMissing, listDir, withIo } from './io.js';
import { type Line, readLines, readLinesSync } from './line-reader.js';
import { decodeOutcomes } from './outcome-lines.js';
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
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if (isMissing(error)) return false;
    throw ioError('read', file, error);
  }
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
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw isMissing(error)
      ? new DamagedFileError('segment', file, 'listed in the checkpoint but missing', false)
      : ioError('read', file, error);
  });
  try {
    const size = (await handle.stat()).size;
    if (size !== expected.bytes) {
      throw new DamagedFileError('segment', file, `${size} bytes where the checkpoint lists ${expected.bytes}`);
    }
    let end = 0;
    let count = 0;
    for await (const lines of readLines(handle.fd, 0, size, chunkBytes)) {
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
    await handle.close();
  }
}

/**
 * The id index of a listed segment: its index file, or (missing, damaged, or from before index files)
 * one built by reading the segment, then written beside it for the next open. Returns false when the
 * segment does not exist.
 */
export function loadSegmentIndex(file: string, entry: SegmentEntry): SegmentIndex | false {
  // A stat finds a segment cut short or grown; damage that keeps the size is found by the reads.
  const size = withIo('read', file, () => statSync(file, { throwIfNoEntry: false })?.size);
  if (size === undefined) return false;
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
