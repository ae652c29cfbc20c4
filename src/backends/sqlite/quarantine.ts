import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { copyFileDurably, syncDirectory } from '../../core/durable-files.js';

/**
 * The database's files in the order they are moved: the WAL first, so that a crash between two moves
 * never leaves an old WAL next to a new database (SQLite would replay its frames into it).
 */
const SUFFIXES = ['-wal', '-shm', ''] as const;

/**
 * Puts the database's files that exist into a new directory `backups/<db name>.<label>-<stamp>-<hex>/`
 * under their own names, so that they open together as they were and restoring them is moving them
 * back. 'move' takes them away (the next open starts a new database); 'copy' leaves them where they are.
 * Bytes are never changed, and everything is fsynced before the caller relies on it. The caller has
 * made sure that no process has the files open. Returns the directory.
 */
export async function quarantineDatabase(file: string, label: string, mode: 'move' | 'copy'): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  const target = path.join(path.dirname(file), 'backups', `${path.basename(file)}.${label}-${stamp}-${hex()}`);
  await mkdir(target, { recursive: true });
  for (const suffix of SUFFIXES) {
    const source = `${file}${suffix}`;
    if ((await stat(source).catch(() => undefined)) === undefined) continue;
    const copy = path.join(target, path.basename(source));
    if (mode === 'copy') await copyFileDurably(source, copy);
    else await moveFile(source, copy);
  }
  await syncDirectory(target);
  await syncDirectory(path.dirname(target));
  await syncDirectory(path.dirname(file));
  return target;
}

async function moveFile(source: string, target: string): Promise<void> {
  try {
    await rename(source, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    // backups/ is a mount point of its own: copy, and remove only once the copy is durable.
    await copyFileDurably(source, target);
    await rm(source);
  }
}

function hex(): string {
  return randomBytes(4).toString('hex');
}
