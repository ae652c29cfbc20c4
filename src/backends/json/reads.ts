import { closeSync } from 'node:fs';
import { openStoreFileSync, RefusedEntryError } from '../../core/store-files.js';
import { compareOutcomes, matchesQuery } from '../../core/summary.js';
import type { Outcome } from '../../core/types.js';
import type { NormalizedOutcomeQuery } from '../../core/validation.js';
import type { TimeSpan } from './checkpoint.js';
import { ioError, withIo } from './io.js';
import { readLines, readLinesSync } from './line-reader.js';
import { decodeOutcomes } from './outcome-lines.js';
import { DamagedFileError, type DamagedKind, damagedLine } from './repair.js';

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

/** A time window, as queries give it: since <= timestamp < until, either end open. */
export interface TimeWindow {
  since?: string;
  until?: string;
}

/** Whether a source's outcomes all lie outside the window, so that reading it would find none. */
function outsideWindow(source: OpenSource, window: TimeWindow): boolean {
  const { span } = source;
  if (span === undefined) return false;
  return (
    (window.since !== undefined && span.max < window.since) || (window.until !== undefined && span.min >= window.until)
  );
}

/**
 * Visits every counted outcome of the sources, in fold order, reading without blocking the event loop.
 * With a window, sources known to hold nothing in it are not read: outcomes outside it may or may not
 * be visited, so the caller still filters.
 */
export async function forEachOutcome(
  sources: readonly OpenSource[],
  visit: (outcome: Outcome) => void,
  window: TimeWindow = {},
): Promise<void> {
  for (const source of sources) {
    if (outsideWindow(source, window)) continue;
    const lines = readLines(source.fd, source.start, source.end);
    for (;;) {
      let next: IteratorResult<{ text: string; offset: number }[]>;
      try {
        next = await lines.next();
      } catch (error) {
        throw ioError('read', source.path, error);
      }
      if (next.done === true) break;
      for (const { text, offset } of next.value) {
        const outcomes = decodeOutcomes(text);
        if (outcomes === undefined) throw damagedLine(source.kind, source.path, offset);
        for (const [index, outcome] of outcomes.entries()) {
          if (source.skipped.size === 0 || !source.skipped.has(skipKey(offset, index))) visit(outcome);
        }
      }
    }
  }
}

/**
 * The outcomes a query asks for, in its order. Files hold outcomes in write order, not time order, so
 * all matches are sorted at the end; with a limit only the first `limit` are ever held.
 */
export async function selectOutcomes(
  sources: readonly OpenSource[],
  query: NormalizedOutcomeQuery,
): Promise<Outcome[]> {
  const compare = query.order === 'asc' ? compareOutcomes : (a: Outcome, b: Outcome): number => compareOutcomes(b, a);
  if (query.limit === 0) return [];
  if (query.limit === undefined) {
    const all: Outcome[] = [];
    await forEachOutcome(
      sources,
      (outcome) => {
        if (matchesQuery(outcome, query)) all.push(outcome);
      },
      query,
    );
    return all.sort(compare);
  }
  const selection = new BoundedSelection(query.limit, compare);
  await forEachOutcome(
    sources,
    (outcome) => {
      if (matchesQuery(outcome, query)) selection.offer(outcome);
    },
    query,
  );
  return selection.sorted();
}

/**
 * The counted outcome stored under an id: the first occurrence in fold order that is not skipped.
 * Only lines that contain the id's JSON text are parsed. Reads everything in the worst case, so it is
 * used only when a write repeats a known id.
 */
export function findOutcome(sources: readonly OpenSource[], id: string): Outcome | undefined {
  const needle = `"id":${JSON.stringify(id)}`;
  let found: Outcome | undefined;
  for (const source of sources) {
    withIo('read', source.path, () =>
      readLinesSync(source.fd, source.start, source.end, (line, offset) => {
        if (!line.includes(needle)) return true;
        const outcomes = decodeOutcomes(line);
        if (outcomes === undefined) throw damagedLine(source.kind, source.path, offset);
        const index = outcomes.findIndex((outcome) => outcome.id === id);
        if (index === -1 || source.skipped.has(skipKey(offset, index))) return true;
        found = outcomes[index];
        return false;
      }),
    );
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Keeps the `limit` first items of a stream in a comparator's order, in O(limit) memory: a max-heap
 * whose root is the worst item kept, replaced whenever a better one arrives.
 */
export class BoundedSelection<T> {
  readonly #limit: number;
  readonly #compare: (a: T, b: T) => number;
  readonly #heap: T[] = [];

  constructor(limit: number, compare: (a: T, b: T) => number) {
    this.#limit = limit;
    this.#compare = compare;
  }

  offer(item: T): void {
    const heap = this.#heap;
    if (heap.length < this.#limit) {
      heap.push(item);
      this.#siftUp(heap.length - 1);
    } else if (heap.length > 0 && this.#compare(item, heap[0] as T) < 0) {
      heap[0] = item;
      this.#siftDown(0);
    }
  }

  /** The items kept, in order. */
  sorted(): T[] {
    return [...this.#heap].sort(this.#compare);
  }

  #siftUp(start: number): void {
    const heap = this.#heap;
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.#compare(heap[index] as T, heap[parent] as T) <= 0) return;
      this.#swap(index, parent);
      index = parent;
    }
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let largest = index;
      if (left < heap.length && this.#compare(heap[left] as T, heap[largest] as T) > 0) largest = left;
      if (right < heap.length && this.#compare(heap[right] as T, heap[largest] as T) > 0) largest = right;
      if (largest === index) return;
      this.#swap(index, largest);
      index = largest;
    }
  }

  #swap(a: number, b: number): void {
    const heap = this.#heap;
    const item = heap[a] as T;
    heap[a] = heap[b] as T;
    heap[b] = item;
  }
}
