import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { openStoreFileSync, RefusedEntryError } from '../../core/store-files.js';
import { journalFileName, newJournalId } from './file-names.js';
import { syncDirectory, withIo, writeAll } from './io.js';
import { tempName } from './layout.js';
import { readLinesSync } from './line-reader.js';
import { decodeOutcomes } from './outcome-lines.js';

export interface Salvage {
  /** Outcomes copied back into the store. */
  kept: number;
  /** Complete lines that did not parse, left behind in the backup. */
  droppedLines: number;
}

const FLUSH_BYTES = 1 << 20;

/**
 * Copies the valid complete lines of a quarantined file into a new sealed journal, so that only its
 * damaged lines leave the store (a power loss can leave a block of garbage amid good lines). It reads
 * the backup, after the move: a writer still appending to the file sees it gone after its next write
 * and writes that line again, so every line is either read here or written again.
 */
export function salvageLines(backup: string, journalDir: string): Salvage {
  const target = path.join(journalDir, journalFileName(newJournalId(), true));
  const temp = tempName(target, 'salvage');
  const salvage: Salvage = { kept: 0, droppedLines: 0 };
  withIo('salvage', backup, () => {
    const source = openQuarantined(backup);
    if (source === undefined) return;
    mkdirSync(journalDir, { recursive: true });
    const sink = openSync(temp, 'wx');
    try {
      let pending: string[] = [];
      let pendingBytes = 0;
      readLinesSync(source, 0, fstatSync(source).size, (line) => {
        const outcomes = decodeOutcomes(line);
        if (outcomes === undefined) {
          salvage.droppedLines += 1;
          return true;
        }
        salvage.kept += outcomes.length;
        pending.push(`${line}\n`);
        pendingBytes += line.length;
        if (pendingBytes >= FLUSH_BYTES) {
          writeAll(sink, Buffer.from(pending.join('')));
          pending = [];
          pendingBytes = 0;
        }
        return true;
      });
      writeAll(sink, Buffer.from(pending.join('')));
      fsyncSync(sink);
    } finally {
      closeSync(sink);
      closeSync(source);
    }
    if (salvage.kept === 0) {
      unlinkSync(temp);
      return;
    }
    renameSync(temp, target);
    syncDirectory(journalDir);
  });
  return salvage;
}

/** A quarantined symlink or FIFO holds no lines of ours: it is never read through (nor is a file gone meanwhile). */
function openQuarantined(backup: string): number | undefined {
  try {
    return openStoreFileSync(backup);
  } catch (error) {
    if (error instanceof RefusedEntryError) return undefined;
    throw error;
  }
}
