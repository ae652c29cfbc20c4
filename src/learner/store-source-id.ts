import { createHash } from 'node:crypto';
import type { PerformanceStore } from '../core/store.js';
import { readInstallationId } from '../open/rollout.js';

/**
 * The id under which a store's exports are known to others: its installation id (kept in its dir,
 * the one staged rollouts use), so that each new export from this store replaces the last one
 * wherever it is imported. A dir that cannot keep the id file is known by a hash of its path instead.
 */
export async function storeSourceId(store: PerformanceStore): Promise<string> {
  try {
    return await readInstallationId(store.info.dir);
  } catch {
    return `dir-${createHash('sha256').update(store.info.dir).digest('hex')}`;
  }
}
