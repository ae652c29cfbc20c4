import { fsync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../../core/durable-files.js';
import { describeError, ModelPerfError } from '../../core/errors.js';
import { isMissing } from '../../core/store-files.js';

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

const fsyncAsync = promisify(fsync);

/** fsync of an open file, off the event loop, turning a failure into MP_IO naming the file. */
export async function syncFile(fd: number, file: string): Promise<void> {
  try {
    await fsyncAsync(fd);
  } catch (error) {
    throw ioError('write', file, error);
  }
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
 * Replaces a small file atomically and durably (core's writeFileAtomic: temp file, fsync, rename, fsync
 * of the directory, the fsyncs off the event loop). Readers see the old or the new bytes whole; the
 * rename gives the path a new inode, which is how readers notice the change (fileStamp).
 */
export async function replaceFile(file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(file, text);
  } catch (error) {
    throw ioError('replace', file, error);
  }
}
