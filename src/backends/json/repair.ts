import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { quarantineSync, syncDirectorySync, tempName, writeAll } from '../../core/durable-files.js';
import { ModelPerfError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { openStoreFileSync, RefusedEntryError } from '../../core/store-files.js';
import { readCheckpoint } from './checkpoint.js';
import { rebuildCheckpoint } from './compaction.js';
import { ioError, withIo } from './io.js';
import { type JsonTuning, journalFileName, newJournalId, type StoreLayout } from './layout.js';
import { readLinesSync } from './line-reader.js';
import { StoreLock } from './lock.js';
import { decodeOutcomes } from './outcome-lines.js';
import { listSegmentFiles } from './segments.js';
import type { StoreView } from './store-view.js';

export type DamagedKind = 'checkpoint' | 'segment' | 'journal';

/**
 * Thrown inside the backend when a file fails validation (or a listed segment is missing). The store
 * catches it, quarantines the file, repairs what depends on it, and reports MP_CORRUPT_DATA.
 */
export class DamagedFileError extends Error {
  override readonly name = 'DamagedFileError';
  readonly kind: DamagedKind;
  readonly file: string;
  /** False when the file is missing: there is nothing to quarantine. */
  readonly present: boolean;

  constructor(kind: DamagedKind, file: string, problem: string, present = true) {
    super(problem);
    this.kind = kind;
    this.file = file;
    this.present = present;
  }
}

/** The error a caller sees once a damaged file was moved aside and the store repaired around it. */
export function corruptDataError(
  damage: DamagedFileError,
  backup: string | undefined,
  salvage: Salvage | undefined,
): ModelPerfError {
  const where =
    backup === undefined
      ? damage.present
        ? 'another process already moved it to backups/'
        : 'it is missing'
      : `it was moved to ${backup}`;
  const lost =
    salvage === undefined
      ? 'the outcomes it held are no longer counted'
      : `${salvage.droppedLines} damaged line(s) of it are no longer counted (its ${salvage.kept} readable ` +
        'outcome(s) were kept)';
  return new ModelPerfError(
    'MP_CORRUPT_DATA',
    `The JSON store file ${damage.file} is damaged (${damage.message}); ${where}, and ${lost}. The store ` +
      'works on; restore what was lost from the backup if you can.',
    { cause: damage, file: damage.file },
  );
}

export function damagedLine(kind: DamagedKind, file: string, offset: number): DamagedFileError {
  return new DamagedFileError(kind, file, `the line at byte ${offset} is not a valid batch of outcomes`);
}

export interface RepairContext {
  layout: StoreLayout;
  view: StoreView;
  tuning: JsonTuning;
  busyTimeoutMs: number;
  logger: Logger;
  /** Records a warning in the store's info. */
  warn(message: string): void;
}

/**
 * Quarantines a damaged file and repairs what depended on it. Returns the MP_CORRUPT_DATA to report
 * when outcomes left the store with the file; undefined when nothing was lost (the checkpoint only
 * caches what the segments hold, so it is rebuilt from them) and the operation can simply run again.
 */
export async function repairDamage(
  context: RepairContext,
  damage: DamagedFileError,
): Promise<ModelPerfError | undefined> {
  const { layout, view } = context;
  if (damage.kind === 'journal') {
    // No lock needed: the move is atomic and succeeds once, so one process salvages the lines.
    const backup = damage.present ? quarantineSync(damage.file, layout.backups, ioError) : undefined;
    const salvage = backup === undefined ? undefined : salvageLines(backup, layout.journals);
    view.markStale();
    return corruptDataError(damage, backup, salvage);
  }
  const lock = await StoreLock.acquire(layout.lock, context.tuning.lockStaleMs, context.busyTimeoutMs);
  try {
    view.invalidate();
    return await (damage.kind === 'segment' ? repairSegment(context, lock, damage) : repairCheckpoint(context, lock));
  } finally {
    lock.release();
  }
}

/**
 * Rebuilds the checkpoint from the listed segments that remain, the damaged one quarantined and its
 * readable lines salvaged into a journal (which readers fold, and the next compaction merges).
 */
async function repairSegment(
  context: RepairContext,
  lock: StoreLock,
  damage: DamagedFileError,
): Promise<ModelPerfError> {
  const { layout } = context;
  const backup = damage.present ? quarantineSync(damage.file, layout.backups, ioError) : undefined;
  const salvage = backup === undefined ? undefined : salvageLines(backup, layout.journals);
  const current = readCheckpoint(layout.checkpoint);
  // Another process may have repaired it already while this one waited for the lock.
  if (current.kind === 'found') {
    const listed = current.checkpoint.segments.map((segment) => segment.name);
    const remaining = listed.filter((name) => existsSync(path.join(layout.segments, name)));
    if (remaining.length < listed.length) {
      await rebuildCheckpoint(layout, lock, remaining, current.checkpoint.generation);
    }
  }
  return corruptDataError(damage, backup, salvage);
}

/** Rebuilds a damaged or lost checkpoint from every segment file: no outcome is lost. */
async function repairCheckpoint(context: RepairContext, lock: StoreLock): Promise<undefined> {
  const { layout } = context;
  const current = readCheckpoint(layout.checkpoint);
  const segments = listSegmentFiles(layout.segments);
  // Repaired meanwhile by another process, or never needed (a first compaction that was finishing).
  if (current.kind === 'found' || current.kind === 'newer' || (current.kind === 'missing' && segments.length === 0)) {
    return undefined;
  }
  const backup = current.kind === 'corrupt' ? quarantineSync(layout.checkpoint, layout.backups, ioError) : undefined;
  // Unlisted segments are included too: orphans repeat outcomes that journals still hold, and a fold
  // counts each id once, so including them is harmless while leaving out a listed one would lose data.
  await rebuildCheckpoint(layout, lock, segments, 0);
  const message =
    current.kind === 'corrupt'
      ? `The JSON store checkpoint ${layout.checkpoint} was damaged (${current.problem}); it was moved to ` +
        `${backup ?? 'backups/'} and rebuilt from the ${segments.length} segment file(s): no outcome was lost.`
      : `The JSON store checkpoint ${layout.checkpoint} was missing; it was rebuilt from the ` +
        `${segments.length} segment file(s): no outcome was lost.`;
  context.logger.warn(message);
  context.warn(message);
  return undefined;
}

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
    syncDirectorySync(journalDir);
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
