import type { PostgresStoreOptions } from './options.js';
import { PostgresStore } from './postgres-store.js';

export type { PostgresStoreOptions } from './options.js';
export { PostgresStore } from './postgres-store.js';

/**
 * Opens the store in a PostgreSQL schema (options.schema, default model_perf), creating its tables on
 * first use; options.dir is only named in info (openStore keeps its offline fallback there). pg is
 * imported here, on first use: install it with `npm install pg`. Rejects with MP_BACKEND_UNAVAILABLE
 * when pg is missing, the server cannot be reached or refuses the credentials, or the tables are of a
 * newer model-perf; MP_CONFIG for a bad option. Messages and info never show a password.
 */
export function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  return PostgresStore.open(options);
}
