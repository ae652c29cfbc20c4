import { boundsContract } from './bounds.js';
import { createContext, type StoreFactory, type TestApi } from './context.js';
import { importContract } from './imports.js';
import { knownValuesContract } from './known-values.js';
import { lifecycleContract } from './lifecycle.js';
import { queryContract } from './queries.js';
import { recencyContract } from './recency.js';
import { recordContract } from './records.js';
import { verifyContract } from './verify.js';

export type { Assertion, Expect, Matchers, StoreFactory, TestApi } from './context.js';

/**
 * The behaviour every PerformanceStore must have, as tests of the runner the caller passes. A backend
 * runs it with a factory that opens a store on a location (a new temp dir per test; the same dir again
 * to reopen):
 *
 *   import { describe, expect, test } from 'vitest';
 *   defineStoreContract('my backend', (dir) => openMyStore({ dir }), { describe, test, expect });
 */
export function defineStoreContract(name: string, factory: StoreFactory, api: TestApi): void {
  api.describe(`PerformanceStore contract: ${name}`, () => {
    const context = createContext(factory, api);
    recordContract(context);
    boundsContract(context);
    queryContract(context);
    lifecycleContract(context);
    importContract(context);
    verifyContract(context);
    knownValuesContract(context);
    recencyContract(context);
  });
}
