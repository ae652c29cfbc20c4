import { ModelLearner, type PerformanceStore } from '../../src/index.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import { type Figure, figure } from '../support/figures.js';
import { type Contestant, interleave, microsEach, timesOf } from '../support/interleave.js';
import { type StoreSizes, sizeLabel } from '../support/profile.js';
import { RANKING_CALLS, RANKING_SIZES, rankingContestant, rankingScalingFigure } from '../support/ranking.js';
import { openBenchStore } from '../support/stores.js';

/**
 * getRankedModels() on the 1k, 100k and 1M JSON stores, alternating in one process. There is no SQL
 * to compare with; what matters is that the cost does not grow with the history.
 */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile } = context;
  const stores: PerformanceStore[] = [];
  try {
    const contestants: Contestant[] = [];
    for (const size of RANKING_SIZES) {
      const store = await openBenchStore(fixture(context, `json-${size}`), 'json');
      stores.push(store);
      contestants.push(rankingContestant(size, new ModelLearner(store)));
    }
    const times = await interleave(contestants, profile.rounds * 2);
    const ours = (size: keyof StoreSizes): number[] => microsEach(timesOf(times, size), RANKING_CALLS);
    return [
      ...RANKING_SIZES.map((size) =>
        figure({
          id: `json.ranking.${size}`,
          backend: 'json',
          label: `getRankedModels() at ${sizeLabel(profile.sizes[size])} stored`,
          unit: 'µs',
          ours: { label: 'learner.getRankedModels()', samples: ours(size) },
        }),
      ),
      rankingScalingFigure('json', profile, ours),
    ];
  } finally {
    for (const store of stores) await store.close();
  }
}
