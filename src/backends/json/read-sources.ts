import { closeSync } from 'node:fs';
import { openStoreFileSync, RefusedEntryError } from '../../core/store-files.js';
import type { TimeSpan } from './checkpoint.js';
import { DamagedFileError, type DamagedKind } from './corruption.js';
import { ioError } from './io.js';

/** A byte range of a segment or journal whose complete lines a read covers. */
export interface ReadSource {
  kind: 'segment' | 'journal';
  path: string;
  /** Where the file may have moved meanwhile (a journal being sealed). */
  movedPath: string;
  start: number;
  end: number;
  /** Outcomes in this range that are not counted (their id is counted elsewhere), as "offset:index". */
  skipped: ReadonlySet<string>;
  /** The timestamps of every outcome in the range lie in it, when known (a segment listed with its span). */
  span?: TimeSpan;
}

export interface OpenSource extends ReadSource {
  fd: number;
}

export function skipKey(offset: number, index: number): string {
  return `${offset}:${index}`;
}

/**
 * Opens every source at once, so that the read sees them even if compaction removes or renames them
 * meanwhile (an open file outlives its name). Returns the first source that is gone already instead:
 * the caller's view of the files is out of date.
 */
export function openSources(sources: readonly ReadSource[]): OpenSource[] | { missing: ReadSource } {
  const opened: OpenSource[] = [];
  for (const source of sources) {
    const fd = openEither(source.kind, source.path, source.movedPath);
    if (fd === undefined) {
      closeSources(opened);
      return { missing: source };
    }
    opened.push({ ...source, fd });
  }
  return opened;
}

export function closeSources(sources: readonly OpenSource[]): void {
  for (const source of sources) closeSync(source.fd);
}

/**
 * Opens a file for reading at the first of its paths that exists; undefined when neither does. A symlink
 * or a special file in its place is damage: the store quarantines it (moving the entry, never its target).
 */
export function openEither(kind: DamagedKind, path: string, movedPath: string): number | undefined {
  for (const candidate of path === movedPath ? [path] : [path, movedPath]) {
    try {
      const fd = openStoreFileSync(candidate);
      if (fd !== undefined) return fd;
    } catch (error) {
      if (error instanceof RefusedEntryError) throw new DamagedFileError(kind, candidate, error.message);
      throw ioError('open', candidate, error);
    }
  }
  return undefined;
}
