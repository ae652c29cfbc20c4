import { describe } from 'vitest';
import { boundsContract } from './bounds.js';
import { createContext, type StoreFactory } from './context.js';
import { importContract } from './imports.js';
import { lifecycleContract } from './lifecycle.js';
import { queryContract } from './queries.js';
import { recordContract } from './records.js';
import { verifyContract } from './verify.js';

export type { StoreFactory } from './context.js';

/**
 * The behaviour every PerformanceStore must have, as vitest tests. A backend runs it with a factory
 * that opens a store on a location (a new temp dir per test; the same dir again to reopen):
 *
 *   defineStoreContract('my backend', (dir) => openMyStore({ dir }));
 */
export function defineStoreContract(name: string, factory: StoreFactory): void {
  describe(`PerformanceStore contract: ${name}`, () => {
    const context = createContext(factory);
    recordContract(context);
    boundsContract(context);
    queryContract(context);
    lifecycleContract(context);
    importContract(context);
    verifyContract(context);
  });
}
