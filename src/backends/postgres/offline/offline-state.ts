import type { Selection } from '../../../core/options.js';
import type { StoreInfo } from '../../../core/types.js';

// What an offline-first store keeps between calls: when to try the server again, and what its info says.

/** The first wait after the server was lost; each failed attempt doubles it, up to the cap. */
const FIRST_WAIT_MS = 1_000;
const MAX_WAIT_MS = 60_000;

/**
 * When an offline store may try the server again. Attempts happen on later calls, never on a timer,
 * so an idle runtime makes no connections and no timer keeps its process alive.
 */
export class ReconnectSchedule {
  #failures = 0;
  #nextAt = 0;

  /** True when the next call should try the server. */
  due(now = Date.now()): boolean {
    return now >= this.#nextAt;
  }

  failed(now = Date.now()): void {
    this.#failures += 1;
    this.#nextAt = now + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (this.#failures - 1));
  }

  reset(): void {
    this.#failures = 0;
    this.#nextAt = 0;
  }
}

/**
 * An offline-first store's info follows what runs: it is updated in place, not replaced, since a
 * caller may hold it (and migrateOnOpen-style code appends to its warnings).
 */
export function describeOnline(info: StoreInfo, selection: Selection, server: StoreInfo, snapshotFile: string): void {
  Object.assign(info, {
    backend: server.backend,
    degraded: selection.degraded,
    reason: selection.reason,
    schemaVersion: server.schemaVersion,
    sqliteVersion: null,
  });
  replace(info.files, [snapshotFile]);
  replace(info.warnings, server.warnings);
}

/** While offline: the local store's backend and files, degraded, with the reason the server could not be used. */
export function describeOffline(info: StoreInfo, reason: string, local: StoreInfo, snapshotFile: string): void {
  Object.assign(info, {
    backend: local.backend,
    degraded: true,
    reason,
    schemaVersion: local.schemaVersion,
    sqliteVersion: local.sqliteVersion,
  });
  replace(info.files, [...new Set([...local.files, snapshotFile])]);
  replace(info.warnings, local.warnings);
}

function replace(target: string[], items: readonly string[]): void {
  target.splice(0, target.length, ...items);
}
