import { closeSync, fsync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describeError, ModelPerfError } from '../../core/errors.js';
import { randomHex } from './file-names.js';
import { tempName } from './layout.js';

export function errorCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

export function isMissing(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}

/** A failed file operation, as the MP_IO error the caller sees. */
export function ioError(action: string, file: string, cause: unknown): ModelPerfError {
  return new ModelPerfError(
    'MP_IO',
    `Could not ${action} ${file}: ${describeError(cause)}. Check the free space and the permissions of its directory.`,
    { cause, file },
  );
}

/** Runs a file operation, turning the system errors it throws into MP_IO naming the file. */
export function withIo<T>(action: string, file: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw isSystemError(error) ? ioError(action, file, error) : error;
  }
}

/** An error from the operating system (errno), as opposed to one of ours passing through. */
function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** Runs a cleanup step whose failure only leaves a redundant file behind for a later cleanup. */
export function bestEffort(step: () => void): void {
  try {
    step();
  } catch {
    // Nothing depends on it: the file is ignored by readers and removed next time.
  }
}

/**
 * fsync a directory, so that a file created, renamed or removed in it survives power loss.
 * Windows cannot open a directory for this; there NTFS journals the metadata change itself.
 */
export function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const fsyncAsync = promisify(fsync);

/** syncDirectory, with the fsync off the event loop (it may take long on a busy disk). */
export async function syncDirectoryAsync(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync of an open file, off the event loop, turning a failure into MP_IO naming the file. */
export async function syncFile(fd: number, file: string): Promise<void> {
  try {
    await fsyncAsync(fd);
  } catch (error) {
    throw ioError('write', file, error);
  }
}

/** Writes a whole buffer at the file's current position (a file opened for writing, not appending). */
export function writeAll(fd: number, buffer: Buffer): void {
  let written = 0;
  while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
}

/** The names in a directory; none when it does not exist (yet: subdirectories are made on first write). */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw ioError('list', dir, error);
  }
}

/**
 * Replaces a small file atomically and durably: temp file, fsync, rename, fsync of the directory.
 * Readers see the old or the new bytes whole, never a mix; the rename gives the path a new inode,
 * which is how readers notice the change (fileStamp).
 * The fsyncs run off the event loop.
 */
export async function replaceFile(file: string, text: string): Promise<void> {
  const temp = tempName(file, randomHex());
  try {
    const fd = withIo('write', temp, () => openSync(temp, 'wx'));
    try {
      withIo('write', temp, () => writeAll(fd, Buffer.from(text)));
      await syncFile(fd, temp);
    } finally {
      closeSync(fd);
    }
    withIo('replace', file, () => renameSync(temp, file));
  } catch (error) {
    bestEffort(() => unlinkSync(temp));
    throw error;
  }
  try {
    await syncDirectoryAsync(path.dirname(file));
  } catch (error) {
    throw ioError('sync the directory of', file, error);
  }
}
