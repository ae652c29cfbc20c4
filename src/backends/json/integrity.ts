import { closeSync, fstatSync } from 'node:fs';
import path from 'node:path';
import { TEMP_SUFFIX } from '../../core/durable-files.js';
import { emptyCounters } from '../../core/stats.js';
import { compareCounters } from '../../core/verify.js';
import { fileStamp, readCheckpoint } from './checkpoint.js';
import { readImportsFile } from './imports-file.js';
import { listDir, withIo } from './io.js';
import { journalFileName, parseJournalFileName, type StoreLayout, segmentGeneration } from './layout.js';
import { readLinesSync } from './line-reader.js';
import { decodeOutcomes } from './outcome-lines.js';
import { openEither } from './reads.js';
import { DamagedFileError } from './repair.js';
import { indexedSegmentName } from './segment-index.js';
import { listSegmentFiles, readSegment } from './segments.js';
import { StatsTable } from './stats-table.js';

/** A compaction in another process may replace the checkpoint and remove segments while they are read. */
const MAX_ATTEMPTS = 3;

/**
 * The structural check of a JSON store dir, for verify(): the checkpoint parses, its checksum holds, and
 * its aggregates are exactly the fold of the segments it lists (each of the right size and outcome
 * count); every complete line of every journal parses; the imports file parses; journal/ and segments/
 * hold no file the store would ignore. It reads every file and changes none, so it never repairs: that is
 * what opening and reading do. A torn last line of a journal is not damage: it is a write that never
 * completed, and readers ignore it.
 */
export function integrityProblems(layout: StoreLayout): string[] {
  for (let attempt = 1; ; attempt += 1) {
    const stamp = fileStamp(layout.checkpoint);
    const problems = [...checkCheckpoint(layout), ...checkJournals(layout), ...checkImports(layout)];
    if (problems.length === 0 || attempt === MAX_ATTEMPTS || fileStamp(layout.checkpoint) === stamp) return problems;
  }
}

function checkCheckpoint(layout: StoreLayout): string[] {
  const file = layout.checkpoint;
  const read = readCheckpoint(file);
  // An index file is derived data: rebuilt when missing or wrong, removed with its segment.
  const strays = strayFiles(
    layout.segments,
    (name) => segmentGeneration(name) !== undefined || indexedSegmentName(name) !== undefined,
  );
  switch (read.kind) {
    case 'missing': {
      const segments = listSegmentFiles(layout.segments).length;
      return segments === 0 ? strays : [`${file} is missing while ${segments} segment file(s) exist.`, ...strays];
    }
    case 'corrupt':
      return [`${file} is damaged: ${read.problem}.`, ...strays];
    case 'newer':
      return [`${file} has format version ${read.version}, newer than this model-perf reads.`, ...strays];
    case 'found':
      break;
  }
  const problems: string[] = [];
  const fold = new StatsTable();
  for (const entry of read.checkpoint.segments) {
    const segment = path.join(layout.segments, entry.name);
    try {
      const found = readSegment(segment, entry, (outcomes) => {
        for (const outcome of outcomes) fold.add(outcome);
      });
      if (!found) problems.push(`${segment} is listed in the checkpoint but missing.`);
    } catch (error) {
      if (!(error instanceof DamagedFileError)) throw error;
      problems.push(`${segment} is damaged: ${error.message}.`);
    }
  }
  // Only meaningful when every listed segment was read whole.
  if (problems.length === 0) problems.push(...foldMismatches(file, read.checkpoint.stats, fold));
  return [...problems, ...strays];
}

function foldMismatches(file: string, stored: StatsTable, fold: StatsTable): string[] {
  const problems: string[] = [];
  const pairs = new Map<string, { taskType: string; modelId: string }>();
  for (const table of [stored, fold]) {
    for (const { taskType, modelId } of table.entries())
      pairs.set(JSON.stringify([taskType, modelId]), { taskType, modelId });
  }
  for (const { taskType, modelId } of pairs.values()) {
    const counted = stored.get(taskType, modelId) ?? emptyCounters();
    const held = fold.get(taskType, modelId) ?? emptyCounters();
    for (const mismatch of compareCounters(taskType, modelId, counted, held)) {
      problems.push(
        `${file} counts ${mismatch.field} = ${String(mismatch.stored)} for ${taskType} / ${modelId}, but its ` +
          `segments hold ${String(mismatch.recounted)}.`,
      );
    }
  }
  return problems;
}

function checkJournals(layout: StoreLayout): string[] {
  const problems = strayFiles(layout.journals, (name) => parseJournalFileName(name) !== undefined);
  for (const name of listDir(layout.journals)) {
    const journal = parseJournalFileName(name);
    if (journal === undefined) continue;
    const file = path.join(layout.journals, name);
    // Sealed, or merged and removed, by another process since the listing: checked under its new name or gone.
    const fd = openEither('journal', file, path.join(layout.journals, journalFileName(journal.id, true)));
    if (fd === undefined) continue;
    try {
      withIo('read', file, () =>
        readLinesSync(fd, 0, fstatSync(fd).size, (line, offset) => {
          if (decodeOutcomes(line) !== undefined) return true;
          problems.push(`${file} is damaged: the line at byte ${offset} is not a valid batch of outcomes.`);
          return false;
        }),
      );
    } finally {
      closeSync(fd);
    }
  }
  return problems;
}

function checkImports(layout: StoreLayout): string[] {
  const read = readImportsFile(layout.imports);
  if (read.kind === 'corrupt') return [`${layout.imports} is damaged: ${read.problem}.`];
  if (read.kind === 'newer')
    return [`${layout.imports} has format version ${read.version}, newer than this model-perf reads.`];
  return [];
}

/** Files in a store subdirectory that the store would ignore: their content is not counted. Temp files are expected. */
function strayFiles(dir: string, recognised: (name: string) => boolean): string[] {
  return listDir(dir)
    .filter((name) => !recognised(name) && !name.endsWith(TEMP_SUFFIX))
    .map((name) => `${path.join(dir, name)} is not a file of this store: the store ignores what it holds.`);
}
