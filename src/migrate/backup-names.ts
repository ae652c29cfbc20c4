/**
 * Archive names carry the time they were made, so that retention reads the age from the name: a
 * store copied with `cp -r` (new mtimes) keeps its archives' ages. Only names with an `imported` or
 * `absorbed` marker are ever pruned, and those are made only after their import is recorded.
 */
export const BACKUPS_DIR = 'backups';

const STAMP = /\.(imported|absorbed)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z(?:-[0-9a-f]+)?(?:\.[a-z]+)?$/;

/** 2026-01-05T10:00:00.123Z -> 20260105T100000123Z: sortable, and safe in a file name everywhere. */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

/** The name of an archive of `base` made at `date`, e.g. model-performance.imported-20260105T100000123Z-1a2b3c4d.json. */
export function archiveName(
  base: string,
  marker: 'imported' | 'absorbed' | 'absorbing' | 'refused',
  date: Date,
  tag: string,
  extension: string,
): string {
  return `${base}.${marker}-${backupStamp(date)}-${tag}${extension}`;
}

/** When a prunable archive was made, or undefined for any other name (quarantined files included). */
export function prunableArchiveDate(name: string): Date | undefined {
  const match = STAMP.exec(name);
  if (match === null) return undefined;
  const [, , year, month, day, hour, minute, second, millis] = match;
  const time = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}Z`);
  return Number.isNaN(time) ? undefined : new Date(time);
}
