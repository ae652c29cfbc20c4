import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonStore } from '../../src/backends/json/index.js';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { silentLogger } from '../../src/core/logger.js';
import type { PerformanceStore } from '../../src/core/store.js';
import type { ChoiceTuning } from '../../src/learner/choose-policy.js';
import { MemoryStore } from '../../test/support/memory-store.js';
import { seededRandom } from '../../test/support/seeded-random.js';
import {
  choosePolicy,
  type DispatchPolicy,
  learnerChoosePolicy,
  oldLearnerPolicy,
  rawRatePolicy,
  thompsonPolicy,
  ucb1Policy,
} from './policies.js';
import { type RunResult, simulate } from './simulate.js';
import type { World } from './worlds.js';

export type StoreKind = 'memory' | 'sqlite' | 'json';

const STORES: Readonly<Record<StoreKind, (dir: string) => Promise<PerformanceStore>>> = {
  memory: async (dir) => new MemoryStore(dir),
  sqlite: (dir) => openSqliteStore({ dir, logger: silentLogger }),
  json: (dir) => openJsonStore({ dir, logger: silentLogger }),
};

export function isStoreKind(value: string): value is StoreKind {
  return Object.hasOwn(STORES, value);
}

interface Run {
  policy: DispatchPolicy;
  close(): Promise<void>;
}

export interface PolicyEntry {
  label: string;
  /** Runs only in worlds with a minSuccessRate (the cost comparison). */
  costAware?: boolean;
  start(seed: number, world: World, clock: { now: number }): Promise<Run>;
}

/** The policy's own randomness has a stream apart from the world's draws. */
const policyRandom = (seed: number) => seededRandom(seed ^ 0x5bd1e995);

const inMemory = (policy: DispatchPolicy): Run => ({ policy, close: async () => undefined });

export function chooseEntry(label: string, tuning?: Readonly<ChoiceTuning>): PolicyEntry {
  return { label, start: async (seed) => inMemory(choosePolicy(policyRandom(seed), tuning ? { tuning } : {})) };
}

export function thompsonEntry(): PolicyEntry {
  return { label: 'thompson', start: async (seed) => inMemory(thompsonPolicy(policyRandom(seed))) };
}

/** A policy over a fresh store of `kind` in a temp dir, closed and removed after the run. */
async function onStore(kind: StoreKind, make: (store: PerformanceStore) => DispatchPolicy): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-regret-'));
  const opened = await STORES[kind](dir);
  return {
    policy: make(opened),
    async close() {
      await opened.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The reported policies. choose() runs as a runtime calls it, learner.choose() on a real store, so the
 * table measures the shipped code path (the sweep uses the in-memory copy of the same decision).
 */
export function policyEntries(store: StoreKind): PolicyEntry[] {
  return [
    { label: 'raw-rate', start: async () => inMemory(rawRatePolicy()) },
    {
      label: 'choose',
      start: (seed, _world, clock) =>
        onStore(store, (opened) => learnerChoosePolicy(opened, () => clock.now, policyRandom(seed))),
    },
    {
      label: 'choose+minSuccessRate',
      costAware: true,
      start: (seed, world, clock) =>
        onStore(store, (opened) =>
          learnerChoosePolicy(opened, () => clock.now, policyRandom(seed), world.minSuccessRate),
        ),
    },
    thompsonEntry(),
    { label: 'ucb1', start: async () => inMemory(ucb1Policy()) },
    {
      label: 'old-rank-ab',
      start: (seed, _world, clock) =>
        onStore(store, (opened) => oldLearnerPolicy(opened, () => clock.now, policyRandom(seed))),
    },
  ];
}

/** Every entry on every seed of a world; results per label, in seed order. */
export async function runWorld(
  world: World,
  seeds: readonly number[],
  entries: readonly PolicyEntry[],
): Promise<Map<string, RunResult[]>> {
  const results = new Map<string, RunResult[]>();
  for (const entry of entries) {
    if (entry.costAware && world.minSuccessRate === undefined) continue;
    const runs: RunResult[] = [];
    for (const seed of seeds) {
      const clock = { now: 0 };
      const run = await entry.start(seed, world, clock);
      try {
        runs.push(await simulate(world, seed, run.policy, clock));
      } finally {
        await run.close();
      }
    }
    results.set(entry.label, runs);
  }
  return results;
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function standardError(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const average = mean(values);
  const variance = values.reduce((sum, value) => sum + (value - average) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance / values.length);
}
