import { type BackendOptions, type ResolvedBackendOptions, resolveBackendOptions } from '../../core/options.js';

// An interface rather than an alias, so that JSON-only options can join it later.
export interface JsonStoreOptions extends BackendOptions {}

/** The options checked, with defaults filled in and the directory made absolute. */
export type JsonSettings = ResolvedBackendOptions;

export function resolveSettings(options: JsonStoreOptions): JsonSettings {
  return resolveBackendOptions(options, 'JSON', 'openJsonStore');
}
