import { access, constants, lstat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { isMissing, listDirIfExists, readTextIfExists, writeFileAtomic } from '../core/durable-files.js';
import { ModelPerfError } from '../index.js';

/** The common causes in words; the rest keep the system's message. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
};

function ioError(action: string, file: string, error: unknown): ModelPerfError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    (code === undefined ? undefined : REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
  return new ModelPerfError('MP_IO', `Cannot ${action} ${file}: ${reason}`, { file, cause: error });
}

/** Writes atomically and durably (core's writeFileAtomic), so that a reader never sees half a file. */
export async function writeTextFile(file: string, text: string): Promise<string> {
  const target = resolve(file);
  try {
    await writeFileAtomic(target, text);
    return target;
  } catch (error) {
    throw ioError('write', target, error);
  }
}

/** Reads a document the user named: never blocking on a FIFO, never past the cap of a JSON document. */
export async function readTextFile(file: string): Promise<string> {
  const target = resolve(file);
  let text: string | undefined;
  try {
    text = await readTextIfExists(target, 'document', { follow: true });
  } catch (error) {
    // A FIFO, a device or an oversized file is refused with its own message.
    if (error instanceof ModelPerfError) throw error;
    throw ioError('read', target, error);
  }
  if (text === undefined)
    throw new ModelPerfError('MP_IO', `Cannot read ${target}: ${REASONS.ENOENT}`, { file: target });
  return text;
}

/** Fails before a store is opened (and perhaps created) for an import whose source is not there. */
export async function requireReadableFile(file: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw ioError('read', resolve(file), error);
  }
}

export interface FileEntry {
  name: string;
  path: string;
  bytes: number;
  /** ISO 8601 UTC of the last change. */
  modified: string;
}

/** Size and age of each path that exists; paths gone in the meantime are left out. */
export async function describeFiles(paths: readonly string[]): Promise<FileEntry[]> {
  const entries: FileEntry[] = [];
  for (const path of paths) {
    try {
      // lstat, not open: opening the SQLite file with fs would drop this process's locks on it; and a
      // symlink's target is never described.
      const info = await lstat(path);
      entries.push({ name: basename(path), path, bytes: info.size, modified: info.mtime.toISOString() });
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  return entries;
}

/** The entries of a dir, oldest name first; an absent dir has none. */
export async function listDir(dir: string): Promise<FileEntry[]> {
  const names = await listDirIfExists(dir);
  return describeFiles(names.sort().map((name) => join(dir, name)));
}
