import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { PerformanceStore } from '../../src/core/store.js';

/**
 * Opens a store on a location. Called with a new location for a fresh store, and with the same
 * location again to reopen it (the durability checks). A directory backend uses it as its dir;
 * a server backend can map it to a schema or a key prefix.
 */
export type StoreFactory = (location: string) => Promise<PerformanceStore>;

export interface ContractContext {
  /** A store on a new, empty location; closed and removed after the test. */
  fresh(): Promise<{ store: PerformanceStore; location: string }>;
  /** Another store on the same location; closed after the test. */
  reopen(location: string): Promise<PerformanceStore>;
}

/** Tracks every store and temp dir a test opens, so each test ends with nothing left open. */
export function createContext(factory: StoreFactory): ContractContext {
  const stores: PerformanceStore[] = [];
  const dirs: string[] = [];

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const reopen = async (location: string): Promise<PerformanceStore> => {
    const store = await factory(location);
    stores.push(store);
    return store;
  };

  return {
    reopen,
    async fresh() {
      const location = await mkdtemp(join(tmpdir(), 'model-perf-contract-'));
      dirs.push(location);
      return { store: await reopen(location), location };
    },
  };
}
