import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listDirIfExists } from '../../core/durable-files.js';
import { CliError } from '../errors.js';

/** Marks a store the demo made, and so may replace on its next run; no other store is ever deleted. */
const MARKER = 'model-perf-demo.json';

export type DemoDirState = 'new' | 'replaced' | 'shared';

/**
 * Makes the demo's store dir fresh: a missing or empty dir is used, a previous demo's store is
 * replaced, and any other store is refused unless `force`, which adds the demo's outcomes to it
 * (deleting nothing, and leaving no marker that would let a later demo delete it).
 */
export async function prepareDemoDir(dir: string, force: boolean, seed: number): Promise<DemoDirState> {
  const entries = await listDirIfExists(dir);
  if (entries.length > 0 && !entries.includes(MARKER)) {
    if (force) return 'shared';
    throw new CliError(
      'MP_DIR_IN_USE',
      `${dir} already holds files that the demo did not make`,
      'pass a new or empty --dir, or --force to add the demo outcomes to this store (nothing is deleted).',
    );
  }
  const replaced = entries.length > 0;
  if (replaced) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MARKER), `${JSON.stringify({ createdBy: 'model-perf demo', seed }, null, 2)}\n`);
  return replaced ? 'replaced' : 'new';
}
