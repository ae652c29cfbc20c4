import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileOnce, readTextIfExists } from '../core/durable-files.js';

export const INSTALLATION_ID_FILE = 'model-perf.installation-id';

/**
 * The installation id of a store dir: created once, kept in the dir, so that a staged rollout puts
 * the same dir in the same bucket on every open (and a copied store keeps its bucket).
 */
export async function readInstallationId(dir: string): Promise<string> {
  const file = join(dir, INSTALLATION_ID_FILE);
  const existing = await readTextIfExists(file);
  if (existing !== undefined) return existing.trim();
  await mkdir(dir, { recursive: true });
  // When two processes race to create it, one link wins and both then read the winner's whole id.
  await createFileOnce(file, `${randomUUID()}\n`);
  return (await readFile(file, 'utf8')).trim();
}

/** The dir's rollout bucket, 0-99, spread evenly by hashing the installation id. */
export function rolloutBucket(installationId: string): number {
  return createHash('sha256').update(installationId).digest().readUInt32BE(0) % 100;
}
