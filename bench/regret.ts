/**
 * Regret of two dispatch policies on a simulated agent runtime with known true success rates
 * (bench/regret/world.ts): the migration guide's raw success rate, and model-perf's learner.
 *
 *   node --import ./bench/support/resolve-ts.ts bench/regret.ts [--store sqlite|json|memory] [--seeds 20] [--first-seed 1]
 *
 * Each (policy, seed) runs on a fresh store in a temp dir (SQLite by default), the way a runtime would
 * use it. Prints the table and writes bench/results/regret.json. Exit code 1 when the learner's mean
 * regret is not at least 30% below the guide's.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openJsonStore } from '../src/backends/json/index.js';
import { openSqliteStore } from '../src/backends/sqlite/index.js';
import { silentLogger } from '../src/core/logger.js';
import type { PerformanceStore } from '../src/core/store.js';
import type { ModelLearner } from '../src/learner/learner.js';
import { MemoryStore } from '../test/support/memory-store.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { type DispatchPolicy, guidePolicy, LEARNER_POLICY_SETTINGS, learnerPolicy } from './regret/policies.js';
import { type RunResult, simulate } from './regret/simulate.js';
import { DISPATCHES, SIMULATED_DAYS } from './regret/world.js';

const REQUIRED_REDUCTION = 0.3;

const STORES: Readonly<Record<string, (dir: string) => Promise<PerformanceStore>>> = {
  sqlite: (dir) => openSqliteStore({ dir, logger: silentLogger }),
  json: (dir) => openJsonStore({ dir, logger: silentLogger }),
  memory: async () => new MemoryStore(),
};

interface PolicyUnderTest {
  label: string;
  make(seed: number): (learner: ModelLearner) => DispatchPolicy;
}

const POLICIES: readonly PolicyUnderTest[] = [
  { label: 'guide', make: () => guidePolicy },
  {
    label: 'model-perf',
    // The policy's own randomness (its A/B draws) has a stream apart from the world's.
    make: (seed) => (learner) => learnerPolicy(learner, seededRandom(seed ^ 0x5bd1e995)),
  },
];

async function runOnFreshStore(
  openStore: (dir: string) => Promise<PerformanceStore>,
  seed: number,
  policy: PolicyUnderTest,
): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-regret-'));
  const store = await openStore(dir);
  try {
    return await simulate(seed, store, policy.make(seed));
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function standardDeviation(values: readonly number[]): number {
  const average = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - average) ** 2, 0) / (values.length - 1));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'sqlite' },
      seeds: { type: 'string', default: '20' },
      'first-seed': { type: 'string', default: '1' },
    },
  });
  const openStore = STORES[values.store];
  if (openStore === undefined) throw new Error(`--store must be one of ${Object.keys(STORES).join(', ')}`);
  const firstSeed = Number(values['first-seed']);
  const seeds = Array.from({ length: Number(values.seeds) }, (_, index) => firstSeed + index);
  const started = performance.now();
  const results = new Map<string, RunResult[]>(POLICIES.map((policy) => [policy.label, []]));
  for (const seed of seeds) {
    for (const policy of POLICIES) results.get(policy.label)?.push(await runOnFreshStore(openStore, seed, policy));
  }
  const seconds = (performance.now() - started) / 1000;

  const summary = POLICIES.map(({ label }) => {
    const runs = results.get(label) ?? [];
    const regrets = runs.map((run) => run.regret);
    const abandon = runs.map((run) => run.daysToAbandon);
    return {
      label,
      meanRegret: mean(regrets),
      sdRegret: standardDeviation(regrets),
      meanDaysToAbandon: mean(abandon),
      maxDaysToAbandon: Math.max(...abandon),
    };
  });
  const [guide, learner] = summary;
  if (guide === undefined || learner === undefined) throw new Error('both policies must have run');
  const ratio = learner.meanRegret / guide.meanRegret;
  const guideRuns = results.get(guide.label) ?? [];
  const seedsWon = (results.get(learner.label) ?? []).filter(
    (run, index) => run.regret < (guideRuns[index]?.regret ?? Number.NaN),
  ).length;
  const passed = ratio <= 1 - REQUIRED_REDUCTION;

  console.log(
    `${DISPATCHES} dispatches over ${SIMULATED_DAYS} simulated days, seeds ${firstSeed}-${firstSeed + seeds.length - 1}, ` +
      `${values.store} store, ${seconds.toFixed(1)} s`,
  );
  console.log(`model-perf policy settings: ${JSON.stringify(LEARNER_POLICY_SETTINGS)}`);
  for (const row of summary) {
    console.log(
      `${row.label.padEnd(11)} regret ${row.meanRegret.toFixed(1).padStart(6)} ± ${row.sdRegret.toFixed(1).padStart(4)}` +
        `   days to abandon the degraded model: mean ${row.meanDaysToAbandon.toFixed(2)}, max ${row.maxDaysToAbandon.toFixed(1)}`,
    );
  }
  console.log(
    `ratio ${ratio.toFixed(3)} (${((1 - ratio) * 100).toFixed(1)}% less regret; lower on ${seedsWon} of ${seeds.length} seeds): ` +
      `${passed ? 'PASS' : 'FAIL'} (needs at least ${REQUIRED_REDUCTION * 100}% less)`,
  );

  const resultsDir = join(import.meta.dirname, 'results');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(
    join(resultsDir, 'regret.json'),
    `${JSON.stringify({ store: values.store, firstSeed, seeds: seeds.length, dispatches: DISPATCHES, ratio, passed, summary }, null, 2)}\n`,
  );
  if (!passed) process.exitCode = 1;
}

await main();
