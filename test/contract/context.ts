import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PerformanceStore } from '../../src/core/store.js';

/**
 * Opens a store on a location. Called with a new location for a fresh store, and with the same
 * location again to reopen it (the durability checks). A directory backend uses it as its dir;
 * a server backend can map it to a schema or a key prefix.
 */
export type StoreFactory = (location: string) => Promise<PerformanceStore>;

/** The matchers the suite uses: those of vitest's and Jest's `expect` (and of the `expect` package). */
export interface Matchers<Result> {
  toBe(expected: unknown): Result;
  toEqual(expected: unknown): Result;
  toMatchObject(expected: object): Result;
  toBeCloseTo(expected: number, digits?: number): Result;
  toBeGreaterThan(expected: number): Result;
  toBeGreaterThanOrEqual(expected: number): Result;
  toBeLessThanOrEqual(expected: number): Result;
  toBeUndefined(): Result;
  toContain(expected: unknown): Result;
  toHaveLength(expected: number): Result;
  toHaveProperty(path: string): Result;
  toMatch(expected: RegExp | string): Result;
  toThrow(expected?: unknown): Result;
}

export interface Assertion extends Matchers<void> {
  not: Matchers<void>;
  rejects: Matchers<Promise<void>>;
}

export interface Expect {
  /** The message, where the runner takes one, names the case in a failure. */
  (actual: unknown, message?: string): Assertion;
  any(type: unknown): unknown;
  objectContaining(expected: Record<string, unknown>): unknown;
}

/**
 * The test runner the suite registers its tests with, so that it runs under vitest, Jest or node:test
 * alike: pass `{ describe, test, expect }` (node:test has no `expect`: pass vitest's, or the `expect`
 * package's).
 */
export interface TestApi {
  describe(name: string, body: () => void): unknown;
  test(name: string, body: () => Promise<void>): unknown;
  expect: Expect;
}

export interface ContractContext {
  describe(name: string, body: () => void): void;
  /** A test whose stores and temp dirs are closed and removed when it ends, passed or failed. */
  it(name: string, body: () => Promise<void>): void;
  expect: Expect;
  /** A store on a new, empty location; closed and removed after the test. */
  fresh(): Promise<{ store: PerformanceStore; location: string }>;
  /** Another store on the same location; closed after the test. */
  reopen(location: string): Promise<PerformanceStore>;
}

/** Tracks every store and temp dir a test opens, so each test ends with nothing left open. */
export function createContext(factory: StoreFactory, api: TestApi): ContractContext {
  const stores: PerformanceStore[] = [];
  const dirs: string[] = [];

  const cleanUp = async (): Promise<void> => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  };

  const reopen = async (location: string): Promise<PerformanceStore> => {
    const store = await factory(location);
    stores.push(store);
    return store;
  };

  return {
    describe(name, body) {
      api.describe(name, body);
    },
    it(name, body) {
      api.test(name, async () => {
        try {
          await body();
        } finally {
          await cleanUp();
        }
      });
    },
    expect: api.expect,
    reopen,
    async fresh() {
      const location = await mkdtemp(join(tmpdir(), 'model-perf-contract-'));
      dirs.push(location);
      return { store: await reopen(location), location };
    },
  };
}
