import { ModelLearner, type PerformanceStore } from '../../src/index.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import { QUERY_TASK } from '../support/dataset.js';
import { type Figure, figure } from '../support/figures.js';
import { type Contestant, interleave, microsEach, timesOf } from '../support/interleave.js';
import { type StoreSizes, sizeLabel } from '../support/profile.js';
import { openBenchStore } from '../support/stores.js';

const CALLS = 200;
const SIZES: ReadonlyArray<keyof StoreSizes> = ['small', 'medium', 'large'];

/**
 * getRankedModels() on the 1k, 100k and 1M JSON stores, alternating in one process. There is no SQL
 * to compare with; what matters is that the cost does not grow with the history.
 */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile } = context;
  const stores: PerformanceStore[] = [];
  try {
    const contestants: Contestant[] = [];
    for (const size of SIZES) {
      const store = await openBenchStore(fixture(context, `json-${size}`), 'json');
      stores.push(store);
      const learner = new ModelLearner(store);
      contestants.push({
        name: size,
        block: async () => {
          for (let call = 0; call < CALLS; call += 1) await learner.getRankedModels(QUERY_TASK);
        },
      });
    }
    const times = await interleave(contestants, profile.rounds * 2);
    const ours = (size: keyof StoreSizes): number[] => microsEach(timesOf(times, size), CALLS);
    const { small, large } = profile.sizes;
    return [
      ...SIZES.map((size) =>
        figure({
          id: `json.ranking.${size}`,
          backend: 'json',
          label: `getRankedModels() at ${sizeLabel(profile.sizes[size])} stored`,
          unit: 'µs',
          ours: { label: 'learner.getRankedModels()', samples: ours(size) },
        }),
      ),
      figure({
        id: 'json.ranking.scaling',
        backend: 'json',
        label: `getRankedModels() at ${sizeLabel(large)} vs ${sizeLabel(small)}`,
        unit: 'µs',
        ours: { label: `at ${sizeLabel(large)}`, samples: ours('large') },
        baseline: { label: `at ${sizeLabel(small)}`, samples: ours('small') },
        target: { on: 'ratio', op: '<=', limit: 1.5, text: `<= 1.5x ${sizeLabel(small)}` },
      }),
    ];
  } finally {
    for (const store of stores) await store.close();
  }
}
