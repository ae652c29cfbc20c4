import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  BACKUPS_DIR,
  checkStoreEntry,
  checkStoreEntrySync,
  errorCode,
  isMissing,
  readStoreFile,
  type StoreFileKind,
} from './store-files.js';

/**
 * Files that must survive a crash or a power loss, for every part of model-perf: one atomic write
 * (unique temp name, fsync, rename, fsync of the directory), one directory sync, one "read, or
 * undefined when missing" (through core/store-files.ts: never a symlink, a FIFO or an oversized file),
 * and one naming of what goes into backups/. The JSON backend works synchronously under its lock, so
 * the directory sync and quarantine also come in a Sync flavour.
 */

/** The CLI reaches core's file helpers through this module only (docs/ARCHITECTURE.md). */
export { isMissing };

/** Temp files are named after their target plus this suffix, so that cleanup can recognise them. */
export const TEMP_SUFFIX = '.tmp';

export function randomHex(bytes = 4): string {
  return randomBytes(bytes).toString('hex');
}

/** A temp name next to the target, unique even for two writers of one file in the same millisecond. */
export function tempName(target: string, nonce = `${process.pid}.${randomHex()}`): string {
  return `${target}.${nonce}${TEMP_SUFFIX}`;
}

/** 2026-01-05T10:00:00.123Z -> 20260105T100000123Z: sortable, and safe in a file name everywhere. */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

/**
 * The one name of anything put into backups/: `<name>.<label>-<stamp>-<random hex>`, e.g.
 * model-performance.db.corrupt-20260105T100000123Z-1a2b3c4d. The stamp is when it was made, so that
 * retention reads the age from the name (a store copied with `cp -r` keeps its archives' ages).
 */
export function backupName(name: string, label: string, date = new Date(), tag = randomHex()): string {
  return `${name}.${label}-${backupStamp(date)}-${tag}`;
}

/**
 * fsync a directory, so that a file created, renamed or removed in it survives power loss.
 * Windows cannot open a directory for this; there NTFS journals the metadata change itself.
 */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform !== 'win32') await syncPath(dir, 'r');
}

/** fsync what is at the path: a directory, or a file opened with `flags`. */
async function syncPath(target: string, flags: string): Promise<void> {
  const handle = await open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function syncDirectorySync(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates `file` (it must not exist) with the data, fsynced. */
async function writeDurably(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a file so that readers see the old or the new bytes, never a mix: temp file, fsync, rename, fsync dir. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = tempName(file);
  try {
    await writeDurably(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(file));
}

/** Turns a failed file operation into the caller's error (the JSON backend's MP_IO naming the file). */
export type OnFileError = (action: string, file: string, cause: unknown) => Error;

function guard<T>(onError: OnFileError, action: string, file: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw onError(action, file, error);
  }
}

/** Writes a whole buffer at the file's current position (a file opened for writing, not appending). */
export function writeAll(fd: number, buffer: Uint8Array): void {
  let written = 0;
  while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
}

/**
 * Creates a file with this content unless it exists, whole or not at all: the content goes into a temp
 * file first, which is then hard-linked to the name (link, unlike rename, never replaces a file). So a
 * concurrent reader finds no file or the whole content, never an empty one. False when it existed.
 */
export async function createFileOnce(file: string, data: string): Promise<boolean> {
  const temp = tempName(file);
  try {
    await writeDurably(temp, data);
    await link(temp, file);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
  await syncDirectory(path.dirname(file));
  return true;
}

/**
 * Copies a file byte for byte to `target`, durably, without ever leaving a partial `target`; never
 * through a symlink (a copy would read its target).
 */
export async function copyFileDurably(source: string, target: string): Promise<void> {
  await checkStoreEntry(source, 'file');
  const temp = tempName(target);
  await copyFile(source, temp);
  await syncPath(temp, 'r+');
  await rename(temp, target);
  await syncDirectory(path.dirname(target));
}

/**
 * A store file's text, or undefined when it (or its directory) does not exist. Refused (MP_CORRUPT_DATA)
 * when it is a symlink, not a regular file, or bigger than the cap of its kind; `follow` is for a file
 * the user named, which may be a symlink.
 */
export async function readTextIfExists(
  file: string,
  kind: StoreFileKind,
  options: { follow?: boolean } = {},
): Promise<string | undefined> {
  return (await readStoreFile(file, kind, options))?.toString('utf8');
}

/** The names in a directory; none when it does not exist. */
export async function listDirIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/**
 * Moves files into a new directory `backups/<name>.<label>-<stamp>-<hex>/` beside them, under their own
 * names, bytes untouched: 'move' takes them away, 'copy' leaves them where they are. Files that do not
 * exist are skipped, and a move onto another file system (backups/ a mount point of its own) copies and
 * removes only once the copy is durable. Everything is fsynced before it returns the directory.
 */
export async function quarantine(
  files: readonly string[],
  name: string,
  label: string,
  mode: 'move' | 'copy',
): Promise<string> {
  const home = path.dirname(files[0] ?? '.');
  // Written through a symlinked backups/, the files would land (and later be pruned) outside the store.
  await checkStoreEntry(path.join(home, BACKUPS_DIR), 'directory');
  const target = path.join(home, BACKUPS_DIR, backupName(name, label));
  await mkdir(target, { recursive: true });
  for (const source of files) {
    const copy = path.join(target, path.basename(source));
    try {
      if (mode === 'copy') await copyFileDurably(source, copy);
      else await rename(source, copy);
    } catch (error) {
      if (isMissing(error)) continue;
      if (mode === 'copy' || errorCode(error) !== 'EXDEV') throw error;
      await copyFileDurably(source, copy);
      await rm(source);
    }
  }
  await syncDirectory(target);
  await syncDirectory(path.dirname(target));
  await syncDirectory(home);
  return target;
}

/**
 * quarantine for the synchronous JSON backend: moves one damaged file into backups/ under backupName,
 * bytes untouched. Returns where it went, or undefined when it was already gone (another process
 * quarantined it first).
 */
export function quarantineSync(file: string, backups: string, onError: OnFileError): string | undefined {
  checkStoreEntrySync(backups, 'directory');
  guard(onError, 'create', backups, () => mkdirSync(backups, { recursive: true }));
  const target = path.join(backups, backupName(path.basename(file), 'corrupt'));
  try {
    renameSync(file, target);
    return target;
  } catch (error) {
    if (isMissing(error)) return undefined;
    if (errorCode(error) !== 'EXDEV') throw onError('quarantine', file, error);
  }
  // backups/ is on another file system (a mount point): copy first, remove only once the copy exists;
  // never through a symlink (a copy would read its target).
  checkStoreEntrySync(file, 'file');
  guard(onError, 'copy', file, () => copyFileSync(file, target));
  guard(onError, 'remove', file, () => unlinkSync(file));
  return target;
}
