import { randomBytes } from 'node:crypto';
import { access, constants, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { readStoreFile } from '../core/store-files.js';
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

/** Writes through a temporary file and a rename, so that a reader never sees half a file. */
export async function writeTextFile(file: string, text: string): Promise<string> {
  const target = resolve(file);
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, target);
    return target;
  } catch (error) {
    await rm(temporary, { force: true });
    throw ioError('write', target, error);
  }
}

/** Reads a document the user named: never blocking on a FIFO, never past the cap of a JSON document. */
export async function readTextFile(file: string): Promise<string> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readStoreFile(file, 'document', { follow: true });
  } catch (error) {
    if (error instanceof ModelPerfError) throw error;
    throw ioError('read', resolve(file), error);
  }
  if (bytes === undefined)
    throw ioError('read', resolve(file), Object.assign(new Error('missing'), { code: 'ENOENT' }));
  return bytes.toString('utf8');
}

/** Fails before a store is opened (and perhaps created) for an import whose source is not there. */
export async function requireReadableFile(file: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw ioError('read', resolve(file), error);
  }
}
