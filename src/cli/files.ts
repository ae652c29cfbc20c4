import { access, constants, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../core/durable-files.js';
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

export async function readTextFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw ioError('read', resolve(file), error);
  }
}

/** Fails before a store is opened (and perhaps created) for an import whose source is not there. */
export async function requireReadableFile(file: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw ioError('read', resolve(file), error);
  }
}
