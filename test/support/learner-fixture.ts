import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openJsonStore } from '../../src/backends/json/index.js';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { silentLogger } from '../../src/core/logger.js';
import type { PerformanceStore } from '../../src/core/store.js';
import type { OutcomeInput } from '../../src/core/types.js';
import { STATS_VERSION } from '../../src/learner/federated.js';
import { ModelLearner } from '../../src/learner/learner.js';
import type { LearnerPolicy } from '../../src/learner/policy.js';
import { captureLogger } from './capture-logger.js';
import { MemoryStore } from './memory-store.js';

export const DAY_MS = 86_400_000;
/** The test clock's start: midday, so that "today" has hours on both sides. */
export const T0 = Date.parse('2026-03-15T12:00:00.000Z');

export interface StoreBackend {
  name: string;
  open(dir: string): Promise<PerformanceStore>;
}

/** The learner is tested on every real backend (in a temp dir) and on the in-memory test store. */
export const STORE_BACKENDS: readonly StoreBackend[] = [
  { name: 'memory', open: async (dir) => new MemoryStore(dir) },
  { name: 'sqlite', open: (dir) => openSqliteStore({ dir, logger: silentLogger }) },
  { name: 'json', open: (dir) => openJsonStore({ dir, logger: silentLogger }) },
];

export class TestClock {
  time: number;

  constructor(time = T0) {
    this.time = time;
  }

  readonly now = (): Date => new Date(this.time);

  advanceDays(days: number): void {
    this.time += days * DAY_MS;
  }
}

export interface LearnerSetup {
  learner: ModelLearner;
  store: PerformanceStore;
  clock: TestClock;
  logger: ReturnType<typeof captureLogger>;
}

/** Opens a store per test on `backend`, with a learner on a test clock; all closed and removed after it. */
export function useLearners(backend: StoreBackend): { open(policy?: LearnerPolicy): Promise<LearnerSetup> } {
  const stores: PerformanceStore[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    async open(policy = {}) {
      const dir = await mkdtemp(join(tmpdir(), `model-perf-learner-${backend.name}-`));
      dirs.push(dir);
      const store = await backend.open(dir);
      stores.push(store);
      const clock = new TestClock();
      const logger = captureLogger();
      const learner = new ModelLearner(store, { now: clock.now, logger, ...policy });
      return { learner, store, clock, logger };
    },
  };
}

/**
 * `wins` successes then `losses` failures of one model, a second apart from `at` (epoch ms), each with
 * 100 tokens, $0.01 and 200 ms unless `fields` says otherwise.
 */
export function outcomesOf(
  taskType: string,
  modelId: string,
  wins: number,
  losses: number,
  at: number,
  fields: Partial<OutcomeInput> = {},
): OutcomeInput[] {
  return Array.from({ length: wins + losses }, (_, index) => ({
    taskType,
    modelId,
    success: index < wins,
    tokensUsed: 100,
    costUsd: 0.01,
    latencyMs: 200,
    timestamp: new Date(at + index * 1000).toISOString(),
    ...fields,
  }));
}

/** A stats document as another installation's exportStats writes it (entries as given, checked on import). */
export function statsDocument(sourceId: string, entries: unknown[]): Record<string, unknown> {
  return {
    format: 'model-perf-stats',
    version: STATS_VERSION,
    sourceId,
    exportedAt: '2026-03-01T00:00:00.000Z',
    entries,
  };
}
