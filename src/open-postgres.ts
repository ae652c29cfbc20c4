import { openJsonStore } from './backends/json/index.js';
import { openPostgresStore } from './backends/postgres/index.js';
import { OfflineFirstStore } from './backends/postgres/offline-first-store.js';
import { resolveSettings } from './backends/postgres/options.js';
import type { PostgresOptions } from './core/backend-options.js';
import type { PerformanceStore } from './core/store.js';
import { jsonStoreAccess } from './json-store-access.js';
import { absorbJsonStore } from './migrate/absorb-json-store.js';

/**
 * Backend 'postgres' as openStore opens it: with fallback, the server's store inside the offline-first
 * wrapper, whose local side is the JSON backend in the same dir (JSON files can be absorbed and archived
 * while other processes still write them, which a SQLite file cannot); without, the server's store alone.
 */
export async function openPostgres(options: PostgresOptions, fallback: boolean): Promise<PerformanceStore> {
  if (!fallback) return openPostgresStore(options);
  const settings = resolveSettings(options);
  const { dir, logger } = settings;
  return OfflineFirstStore.open({
    settings,
    connect: () => openPostgresStore(options),
    local: {
      open: (selection) =>
        openJsonStore({
          dir,
          logger,
          selection,
          ...(options.durability === undefined ? {} : { durability: options.durability }),
          ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
        }),
      push: async (server) => (await absorbJsonStore(server, dir, jsonStoreAccess(logger)))?.outcomes,
    },
  });
}
