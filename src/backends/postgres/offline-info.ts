import type { Selection } from '../../core/options.js';
import type { StoreInfo } from '../../core/types.js';

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
