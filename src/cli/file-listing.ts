import { lstat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isMissing, listDirIfExists } from '../core/durable-files.js';

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
