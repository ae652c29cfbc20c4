import type { DatabaseSync } from 'node:sqlite';
import { ModelLearner, type PerformanceStore } from '../../src/index.js';
import { openRawConnection } from '../baselines/raw-connection.js';
import { RawRankingQuery } from '../baselines/raw-ranking-query.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import { QUERY_TASK } from '../support/dataset.js';
import { type Figure, figure } from '../support/figures.js';
import { type Contestant, interleave, microsEach, timesOf } from '../support/interleave.js';
import { type StoreSizes, sizeLabel } from '../support/profile.js';
import { openBenchStore, sqliteFile } from '../support/stores.js';

/** Calls per timed block: one call takes microseconds, too short to time alone. */
const CALLS = 200;
const SIZES: ReadonlyArray<keyof StoreSizes> = ['small', 'medium', 'large'];

/**
 * getRankedModels() on the 1k, 100k and 1M stores against baseline (c), the guide's ranking query on
 * a second connection to the same database; all six alternate in one process. The stores only read,
 * so they are opened in the cache itself.
 */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile } = context;
  const stores: PerformanceStore[] = [];
  const connections: DatabaseSync[] = [];
  try {
    const contestants: Contestant[] = [];
    for (const size of SIZES) {
      const dir = fixture(context, `sqlite-${size}`);
      const store = await openBenchStore(dir, 'sqlite');
      stores.push(store);
      const learner = new ModelLearner(store);
      const db = openRawConnection(sqliteFile(dir));
      connections.push(db);
      const raw = new RawRankingQuery(db);
      contestants.push(
        {
          name: `ours-${size}`,
          block: async () => {
            for (let call = 0; call < CALLS; call += 1) await learner.getRankedModels(QUERY_TASK);
          },
        },
        {
          name: `raw-${size}`,
          block: () => {
            for (let call = 0; call < CALLS; call += 1) raw.rank(QUERY_TASK);
          },
        },
      );
    }
    const times = await interleave(contestants, profile.rounds * 2);
    const ours = (size: keyof StoreSizes): number[] => microsEach(timesOf(times, `ours-${size}`), CALLS);
    const { small, large } = profile.sizes;
    return [
      ...SIZES.map((size) =>
        figure({
          id: `sqlite.ranking.${size}`,
          backend: 'sqlite',
          label: `getRankedModels() at ${sizeLabel(profile.sizes[size])} stored`,
          unit: 'µs',
          ours: { label: 'learner.getRankedModels()', samples: ours(size) },
          baseline: { label: 'raw SQL ranking query', samples: microsEach(timesOf(times, `raw-${size}`), CALLS) },
          target: { on: 'ratio', op: '<=', limit: 2, text: '<= 2x raw SQL' },
        }),
      ),
      figure({
        id: 'sqlite.ranking.scaling',
        backend: 'sqlite',
        label: `getRankedModels() at ${sizeLabel(large)} vs ${sizeLabel(small)}`,
        unit: 'µs',
        ours: { label: `at ${sizeLabel(large)}`, samples: ours('large') },
        baseline: { label: `at ${sizeLabel(small)}`, samples: ours('small') },
        target: { on: 'ratio', op: '<=', limit: 1.5, text: `<= 1.5x ${sizeLabel(small)}` },
      }),
    ];
  } finally {
    for (const store of stores) await store.close();
    for (const db of connections) db.close();
  }
}
