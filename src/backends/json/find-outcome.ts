import type { Outcome } from '../../core/types.js';
import { damagedLine } from './corruption.js';
import { withIo } from './io.js';
import { readLinesSync } from './line-reader.js';
import { decodeOutcomes } from './outcome-lines.js';
import { type OpenSource, skipKey } from './read-sources.js';

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
