import { compareOutcomes, matchesQuery } from '../../core/summary.js';
import type { Outcome } from '../../core/types.js';
import type { NormalizedOutcomeQuery } from '../../core/validation.js';
import { BoundedSelection } from './bounded-selection.js';
import { damagedLine } from './corruption.js';
import { ioError } from './io.js';
import { readLines } from './line-reader.js';
import { decodeOutcomes } from './outcome-lines.js';
import { type OpenSource, skipKey } from './read-sources.js';

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
