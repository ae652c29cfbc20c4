import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelPerfError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { readCheckpoint } from './checkpoint.js';
import { rebuildCheckpoint } from './compaction.js';
import { corruptDataError, type DamagedFileError, quarantine } from './corruption.js';
import type { StoreLayout } from './layout.js';
import { CompactionLock } from './lock.js';
import { salvageLines } from './salvage.js';
import { listSegmentFiles } from './segment-files.js';
import type { StoreView } from './store-view.js';
import type { JsonTuning } from './tuning.js';

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
    const backup = damage.present ? quarantine(layout.backups, damage.file) : undefined;
    const salvage = backup === undefined ? undefined : salvageLines(backup, layout.journals);
    view.markStale();
    return corruptDataError(damage, backup, salvage);
  }
  const lock = await CompactionLock.acquire(layout.lock, context.tuning.lockStaleMs, context.busyTimeoutMs);
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
  lock: CompactionLock,
  damage: DamagedFileError,
): Promise<ModelPerfError> {
  const { layout } = context;
  const backup = damage.present ? quarantine(layout.backups, damage.file) : undefined;
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
async function repairCheckpoint(context: RepairContext, lock: CompactionLock): Promise<undefined> {
  const { layout } = context;
  const current = readCheckpoint(layout.checkpoint);
  const segments = listSegmentFiles(layout.segments);
  // Repaired meanwhile by another process, or never needed (a first compaction that was finishing).
  if (current.kind === 'found' || current.kind === 'newer' || (current.kind === 'missing' && segments.length === 0)) {
    return undefined;
  }
  const backup = current.kind === 'corrupt' ? quarantine(layout.backups, layout.checkpoint) : undefined;
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
