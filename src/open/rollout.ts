import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const INSTALLATION_ID_FILE = 'model-perf.installation-id';

/**
 * The installation id of a store dir: created once, kept in the dir, so that a staged rollout puts
 * the same dir in the same bucket on every open (and a copied store keeps its bucket).
 */
export async function readInstallationId(dir: string): Promise<string> {
  const file = join(dir, INSTALLATION_ID_FILE);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true });
  try {
    // 'wx': when two processes race to create it, one wins and both then read the winner's id.
    await writeFile(file, `${randomUUID()}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return (await readFile(file, 'utf8')).trim();
}

/** The dir's rollout bucket, 0-99, spread evenly by hashing the installation id. */
export function rolloutBucket(installationId: string): number {
  return createHash('sha256').update(installationId).digest().readUInt32BE(0) % 100;
}
