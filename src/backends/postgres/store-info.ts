import type { StoreInfo } from '../../core/types.js';
import type { PostgresSettings } from './options.js';
import { SCHEMA_VERSION } from './schema.js';

/** dir is where an offline fallback keeps its files; the data itself lives at `location`. */
export function describeStore(settings: PostgresSettings): StoreInfo {
  const { dir, location, schema, selection } = settings;
  return {
    backend: 'postgres',
    degraded: selection.degraded,
    reason: selection.reason,
    dir,
    files: [],
    schemaVersion: SCHEMA_VERSION,
    nodeVersion: process.versions.node,
    sqliteVersion: null,
    warnings: [...selection.warnings],
    location: `${location} (schema ${schema})`,
  };
}
