import { ModelLearner, type PerformanceStore } from '../../src/index.js';
import { seededRandom } from '../../test/support/seeded-random.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import { MODEL_IDS, QUERY_TASK } from '../support/dataset.js';
import { type Figure, figure } from '../support/figures.js';
import { type Contestant, interleave, microsEach, timesOf } from '../support/interleave.js';
import { sizeLabel } from '../support/profile.js';
import { RANKING_CALLS, rankingContestant } from '../support/ranking.js';
import { openBenchStore } from '../support/stores.js';

/** A runtime dispatches among a handful of models: 8 of the task's 20. */
const CANDIDATES = MODEL_IDS.slice(0, 8);

/**
 * choose() runs before every dispatch, so it must cost no more than twice a ranking: learner.choose()
 * over 8 candidates against learner.getRankedModels() on the 1M store, alternating in one process.
 */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile } = context;
  const store: PerformanceStore = await openBenchStore(fixture(context, 'sqlite-large'), 'sqlite');
  try {
    const learner = new ModelLearner(store);
    const random = seededRandom(1);
    const choosing: Contestant = {
      name: 'choose',
      block: async () => {
        for (let call = 0; call < RANKING_CALLS; call += 1) await learner.choose(QUERY_TASK, CANDIDATES, { random });
      },
    };
    const times = await interleave([choosing, rankingContestant('ranking', learner)], profile.rounds * 2);
    return [
      figure({
        id: 'sqlite.choose.large',
        backend: 'sqlite',
        label: `choose() among 8 candidates at ${sizeLabel(profile.sizes.large)} stored`,
        unit: 'µs',
        ours: { label: 'learner.choose()', samples: microsEach(timesOf(times, 'choose'), RANKING_CALLS) },
        baseline: {
          label: 'learner.getRankedModels()',
          samples: microsEach(timesOf(times, 'ranking'), RANKING_CALLS),
        },
        target: { on: 'ratio', op: '<=', limit: 2, text: '<= 2x getRankedModels()' },
      }),
    ];
  } finally {
    await store.close();
  }
}
