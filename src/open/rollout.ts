import { createHash, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileOnce, quarantine, readTextIfExists } from '../core/durable-files.js';
import { ModelPerfError } from '../core/errors.js';
import { RefusedEntryError } from '../core/store-files.js';

export const INSTALLATION_ID_FILE = 'model-perf.installation-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id in the file; 'invalid' for anything but a UUID (it is exported to other installations, never raw). */
async function readIdFile(file: string): Promise<string | 'invalid' | undefined> {
  try {
    const text = (await readTextIfExists(file, 'installationId'))?.trim();
    if (text === undefined) return undefined;
    return UUID.test(text) ? text : 'invalid';
  } catch (error) {
    if (error instanceof RefusedEntryError) return 'invalid';
    throw error;
  }
}

/**
 * The installation id of a store dir: created once, kept in the dir, so that a staged rollout puts
 * the same dir in the same bucket on every open (and a copied store keeps its bucket). Anything but a
 * UUID there (a symlink to another file, a FIFO, garbage) is moved to backups/ and replaced.
 */
export async function readInstallationId(dir: string): Promise<string> {
  const file = join(dir, INSTALLATION_ID_FILE);
  const found = await readIdFile(file);
  if (found !== undefined && found !== 'invalid') return found;
  if (found === 'invalid') await quarantine([file], INSTALLATION_ID_FILE, 'replaced', 'move');
  await mkdir(dir, { recursive: true });
  // When two processes race to create it, one link wins and both then read the winner's whole id.
  await createFileOnce(file, `${randomUUID()}\n`);
  const written = await readIdFile(file);
  if (written === undefined || written === 'invalid') {
    throw new ModelPerfError('MP_CORRUPT_DATA', `${file} changed while it was being written: it holds no UUID.`, {
      file,
    });
  }
  return written;
}

/** The dir's rollout bucket, 0-99, spread evenly by hashing the installation id. */
export function rolloutBucket(installationId: string): number {
  return createHash('sha256').update(installationId).digest().readUInt32BE(0) % 100;
}
