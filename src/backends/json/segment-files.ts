import { closeSync, fstatSync } from 'node:fs';
import { compareText } from '../../core/stats.js';
import type { Outcome } from '../../core/types.js';
import type { SegmentEntry } from './checkpoint.js';
import { DamagedFileError, damagedLine } from './corruption.js';
import { segmentGeneration } from './file-names.js';
import { listDir, withIo } from './io.js';
import { readLinesSync } from './line-reader.js';
import { decodeOutcomes } from './outcome-lines.js';
import { openEither } from './read-sources.js';

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
