import type { ModelLearner } from '../../src/index.js';
import { QUERY_TASK } from './dataset.js';
import { type Backend, type Figure, figure } from './figures.js';
import type { Contestant } from './interleave.js';
import { type BenchProfile, type StoreSizes, sizeLabel } from './profile.js';

/** Calls per timed block: one call takes microseconds, too short to time alone. */
export const RANKING_CALLS = 200;
export const RANKING_SIZES: ReadonlyArray<keyof StoreSizes> = ['small', 'medium', 'large'];

/** A contestant calling learner.getRankedModels() RANKING_CALLS times per block. */
export function rankingContestant(name: string, learner: ModelLearner): Contestant {
  return {
    name,
    block: async () => {
      for (let call = 0; call < RANKING_CALLS; call += 1) await learner.getRankedModels(QUERY_TASK);
    },
  };
}

/** getRankedModels() on the large store against the small one: the cost must not grow with the history. */
export function rankingScalingFigure(
  backend: Backend,
  profile: BenchProfile,
  ours: (size: keyof StoreSizes) => number[],
): Figure {
  const { small, large } = profile.sizes;
  return figure({
    id: `${backend}.ranking.scaling`,
    backend,
    label: `getRankedModels() at ${sizeLabel(large)} vs ${sizeLabel(small)}`,
    unit: 'µs',
    ours: { label: `at ${sizeLabel(large)}`, samples: ours('large') },
    baseline: { label: `at ${sizeLabel(small)}`, samples: ours('small') },
    target: { on: 'ratio', op: '<=', limit: 1.5, text: `<= 1.5x ${sizeLabel(small)}` },
  });
}
