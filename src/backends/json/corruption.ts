import { copyFileSync, mkdirSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { ModelPerfError } from '../../core/errors.js';
import { checkStoreEntrySync } from '../../core/store-files.js';
import { randomHex } from './file-names.js';
import { errorCode, ioError, isMissing, withIo } from './io.js';
import type { Salvage } from './salvage.js';

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

/**
 * Moves a damaged file into backups/ under a timestamped name, bytes untouched. Returns where it went,
 * or undefined when it was already gone (another process quarantined it first).
 */
export function quarantine(backups: string, file: string): string | undefined {
  withIo('create', backups, () => mkdirSync(backups, { recursive: true }));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.join(backups, `${path.basename(file)}.${stamp}.${randomHex()}.corrupt`);
  try {
    renameSync(file, target);
    return target;
  } catch (error) {
    if (isMissing(error)) return undefined;
    if (errorCode(error) !== 'EXDEV') throw ioError('quarantine', file, error);
  }
  // backups/ is on another file system (a mount point): copy first, remove only once the copy exists;
  // never through a symlink (a copy would read its target).
  checkStoreEntrySync(file, 'file');
  withIo('copy', file, () => copyFileSync(file, target));
  withIo('remove', file, () => unlinkSync(file));
  return target;
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
