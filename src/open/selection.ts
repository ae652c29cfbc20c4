import semver from 'semver';
import type { StoreSettings } from '../core/options.js';

export interface BackendDecision {
  backend: 'sqlite' | 'json' | 'postgres';
  reason: string;
}

/**
 * Picks the backend from the settings alone (no I/O), with the sentence that info.reason reports.
 * The rollout bucket needs the dir's installation id, so it is only read when a partial rollout asks for it.
 */
export async function decideBackend(
  settings: StoreSettings,
  nodeVersion: string,
  bucket: () => Promise<number>,
): Promise<BackendDecision> {
  if (settings.backend === 'sqlite') return { backend: 'sqlite', reason: 'SQLite: backend "sqlite" was requested' };
  if (settings.backend === 'json') return { backend: 'json', reason: 'JSON: backend "json" was requested' };
  if (settings.backend === 'postgres') {
    return { backend: 'postgres', reason: 'PostgreSQL: backend "postgres" was requested' };
  }
  const range = settings.sqliteNodeRange;
  if (!semver.satisfies(nodeVersion, range)) {
    return { backend: 'json', reason: `JSON: Node ${nodeVersion} does not satisfy ${range}, the range for SQLite` };
  }
  if (settings.sqliteRollout >= 100) {
    return { backend: 'sqlite', reason: `SQLite: Node ${nodeVersion} satisfies ${range}` };
  }
  const value = await bucket();
  if (value < settings.sqliteRollout) {
    return {
      backend: 'sqlite',
      reason: `SQLite: Node ${nodeVersion} satisfies ${range} and this store's rollout bucket ${value} is within ${settings.sqliteRollout}%`,
    };
  }
  return {
    backend: 'json',
    reason: `JSON: this store's rollout bucket ${value} is outside the SQLite rollout of ${settings.sqliteRollout}%`,
  };
}
