import type { DatabaseSync } from 'node:sqlite';
import { ModelLearner, type PerformanceStore } from '../../src/index.js';
import { openRawConnection } from '../baselines/raw-connection.js';
import { RawRankingQuery } from '../baselines/raw-ranking-query.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import { QUERY_TASK } from '../support/dataset.js';
import { type Figure, figure } from '../support/figures.js';
import { type Contestant, interleave, microsEach, timesOf } from '../support/interleave.js';
import { type StoreSizes, sizeLabel } from '../support/profile.js';
import { RANKING_CALLS, RANKING_SIZES, rankingContestant, rankingScalingFigure } from '../support/ranking.js';
import { openBenchStore, sqliteFile } from '../support/stores.js';

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
    for (const size of RANKING_SIZES) {
      const dir = fixture(context, `sqlite-${size}`);
      const store = await openBenchStore(dir, 'sqlite');
      stores.push(store);
      const db = openRawConnection(sqliteFile(dir));
      connections.push(db);
      const raw = new RawRankingQuery(db);
      contestants.push(rankingContestant(`ours-${size}`, new ModelLearner(store)), {
        name: `raw-${size}`,
        block: () => {
          for (let call = 0; call < RANKING_CALLS; call += 1) raw.rank(QUERY_TASK);
        },
      });
    }
    const times = await interleave(contestants, profile.rounds * 2);
    const ours = (size: keyof StoreSizes): number[] => microsEach(timesOf(times, `ours-${size}`), RANKING_CALLS);
    return [
      ...RANKING_SIZES.map((size) =>
        figure({
          id: `sqlite.ranking.${size}`,
          backend: 'sqlite',
          label: `getRankedModels() at ${sizeLabel(profile.sizes[size])} stored`,
          unit: 'µs',
          ours: { label: 'learner.getRankedModels()', samples: ours(size) },
          baseline: {
            label: 'raw SQL ranking query',
            samples: microsEach(timesOf(times, `raw-${size}`), RANKING_CALLS),
          },
          target: { on: 'ratio', op: '<=', limit: 2, text: '<= 2x raw SQL' },
        }),
      ),
      rankingScalingFigure('sqlite', profile, ours),
    ];
  } finally {
    for (const store of stores) await store.close();
    for (const db of connections) db.close();
  }
}
