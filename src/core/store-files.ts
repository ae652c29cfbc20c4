import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError, ModelPerfError } from './errors.js';

/**
 * A store dir is untrusted input: it may arrive with a `git clone` of somebody else's repository. Every
 * file model-perf touches inside it goes through here, so that nothing in it leads outside the dir
 * (a symlink is refused, never followed), nothing in it blocks a command (a FIFO or a device is refused
 * before it is read) and nothing in it exhausts memory (each kind of file has a size cap).
 * The store dir's own path is the user's choice and may be a symlink; only what is inside it is checked.
 * Writing and quarantine (core/durable-files.ts) build on these checks.
 */

export const BACKUPS_DIR = 'backups';

export function errorCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

export function isMissing(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}

/** The kinds of single-document files read whole, and the most bytes each may hold. */
export const STORE_FILE_CAPS = {
  /** model-performance.json: aggregates per task and model, small even for a large fleet. */
  legacy: 32 * 1024 * 1024,
  config: 64 * 1024,
  /** model-perf.snapshot.json: one line of counters per task and model. */
  snapshot: 32 * 1024 * 1024,
  /** The JSON backend's checkpoint and imports documents, and an imported federated document. */
  document: 64 * 1024 * 1024,
  /** A UUID and a newline. */
  installationId: 1024,
  /** A lock file: a pid, a host name and a time. */
  lock: 4096,
} as const;

export type StoreFileKind = keyof typeof STORE_FILE_CAPS;

/**
 * O_NOFOLLOW refuses a symlink as the last path component (ELOOP); O_NONBLOCK makes opening a FIFO
 * return at once instead of waiting for a writer (on a regular file it changes nothing).
 * Windows has neither flag; there lstat before opening does the symlink check.
 */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCK = constants.O_NONBLOCK ?? 0;
export const READ_FLAGS = constants.O_RDONLY | NO_FOLLOW | NON_BLOCK;
export const UPDATE_FLAGS = constants.O_RDWR | NO_FOLLOW | NON_BLOCK;

/**
 * The refusal of an entry of the store dir that is not what model-perf wrote there: MP_CORRUPT_DATA for
 * a symlink, a special or oversized file; MP_IO for a plain file and directory swapped (a user's mistake).
 */
export class RefusedEntryError extends ModelPerfError {
  constructor(file: string, problem: string, code: 'MP_CORRUPT_DATA' | 'MP_IO' = 'MP_CORRUPT_DATA') {
    super(
      code,
      `Refused ${file}: ${problem}. model-perf only reads and writes regular files and directories inside its ` +
        'store dir, and never follows a symbolic link out of it: nothing was read or written through this entry (move it away if it is in the way).',
      { file },
    );
  }
}

function refusedEntry(file: string, problem: string): RefusedEntryError {
  return new RefusedEntryError(file, problem);
}

function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Turns the error of an open with O_NOFOLLOW into a refusal when it met a symlink. */
function openFailure(file: string, error: unknown): unknown {
  return errorCode(error) === 'ELOOP' ? refusedEntry(file, 'it is a symbolic link') : error;
}

function checkRegular(file: string, stats: Stats, cap: number | undefined): void {
  if (!stats.isFile()) throw refusedEntry(file, `it is ${kindOf(stats)}`);
  if (cap !== undefined && stats.size > cap) {
    throw refusedEntry(file, `it holds ${stats.size} bytes, more than the ${cap} such a file may hold`);
  }
}

/** On a platform without O_NOFOLLOW, lstat first (a race there only matters with a local attacker). */
function checkBeforeOpenSync(file: string): void {
  if (NO_FOLLOW !== 0) return;
  const stats = lstatSync(file, { throwIfNoEntry: false });
  if (stats?.isSymbolicLink() === true) throw refusedEntry(file, 'it is a symbolic link');
}

/**
 * Opens a store file that must be a regular file, never through a symlink, never blocking on a FIFO.
 * Returns undefined when it does not exist; other failures are thrown as they are (the caller names them).
 */
export function openStoreFileSync(file: string, flags: number = READ_FLAGS): number | undefined {
  checkBeforeOpenSync(file);
  let fd: number;
  try {
    fd = openSync(file, flags);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw openFailure(file, error);
  }
  try {
    checkRegular(file, fstatSync(fd), undefined);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/**
 * Reads a whole store file of a kind with a size cap: undefined when missing, a refusal (MP_CORRUPT_DATA)
 * when it is a symlink, not a regular file, or too big. Reads at most cap + 1 bytes even if it grows.
 */
export function readStoreFileSync(file: string, kind: StoreFileKind): Buffer | undefined {
  const cap = STORE_FILE_CAPS[kind];
  const fd = openStoreFileSync(file);
  if (fd === undefined) return undefined;
  try {
    checkRegular(file, fstatSync(fd), cap);
    const buffer = Buffer.allocUnsafe(Math.min(fstatSync(fd).size, cap) + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, length);
    }
    if (length > cap) throw refusedEntry(file, `it holds more than the ${cap} bytes such a file may hold`);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * The async twin of readStoreFileSync, for the code paths that must not block the event loop. `follow`
 * is for a file the user named (an import file), which may be a symlink but still no FIFO nor oversized.
 */
export async function readStoreFile(
  file: string,
  kind: StoreFileKind,
  { follow = false }: { follow?: boolean } = {},
): Promise<Buffer | undefined> {
  const cap = STORE_FILE_CAPS[kind];
  if (!follow && NO_FOLLOW === 0 && (await lstatOrUndefined(file))?.isSymbolicLink() === true) {
    throw refusedEntry(file, 'it is a symbolic link');
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, follow ? READ_FLAGS & ~NO_FOLLOW : READ_FLAGS);
  } catch (error) {
    // ENOTDIR: a file where a directory of the path belongs holds no such file either.
    if (isMissing(error) || errorCode(error) === 'ENOTDIR') return undefined;
    throw openFailure(file, error);
  }
  try {
    const stats = await handle.stat();
    checkRegular(file, stats, cap);
    const buffer = Buffer.allocUnsafe(Math.min(stats.size, cap) + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      ({ bytesRead: read } = await handle.read(buffer, length, buffer.length - length, length));
    }
    if (length > cap) throw refusedEntry(file, `it holds more than the ${cap} bytes such a file may hold`);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/**
 * Refuses an entry of the store dir that is a symlink, or that exists and is not of the expected type
 * (a store dir's backups/, journal/, segments/ must be real directories; a database a regular file).
 * A missing entry passes: it is created in place later.
 */
export async function checkStoreEntry(path: string, expected: 'file' | 'directory'): Promise<void> {
  let stats: Stats | undefined;
  try {
    stats = await lstatOrUndefined(path);
  } catch (error) {
    throw new ModelPerfError('MP_IO', `Could not inspect ${path}: ${describeError(error)}.`, {
      file: path,
      cause: error,
    });
  }
  checkEntryStats(path, stats, expected);
}

export function checkStoreEntrySync(path: string, expected: 'file' | 'directory'): void {
  let stats: Stats | undefined;
  try {
    stats = lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw new ModelPerfError('MP_IO', `Could not inspect ${path}: ${describeError(error)}.`, {
      file: path,
      cause: error,
    });
  }
  checkEntryStats(path, stats, expected);
}

function checkEntryStats(path: string, stats: Stats | undefined, expected: 'file' | 'directory'): void {
  if (stats === undefined) return;
  if (expected === 'file' ? stats.isFile() : stats.isDirectory()) return;
  const wanted = expected === 'file' ? 'a regular file' : 'a directory';
  const swapped = stats.isFile() || stats.isDirectory();
  throw new RefusedEntryError(
    path,
    `it is ${kindOf(stats)} where ${wanted} belongs`,
    swapped ? 'MP_IO' : 'MP_CORRUPT_DATA',
  );
}

/** The store dir's own subdirectories: backups (every backend), journal and segments (JSON). */
export const STORE_SUBDIRS = [BACKUPS_DIR, 'journal', 'segments'] as const;

/**
 * Refuses a store dir whose own subdirectories are symlinks or files: writing, listing or pruning
 * through them would reach outside the dir. Run at every open, before anything is read or written.
 */
export async function checkStoreLayout(dir: string): Promise<void> {
  for (const name of STORE_SUBDIRS) await checkStoreEntry(join(dir, name), 'directory');
}

export function checkStoreLayoutSync(dir: string): void {
  for (const name of STORE_SUBDIRS) checkStoreEntrySync(join(dir, name), 'directory');
}
