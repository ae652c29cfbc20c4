import { ModelLearner } from '../../src/index.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import { QUERY_TASK, REFERENCE_NOW } from '../support/dataset.js';
import { type Figure, figure } from '../support/figures.js';
import { interleave, timesOf } from '../support/interleave.js';
import { sizeLabel } from '../support/profile.js';
import { openBenchStore } from '../support/stores.js';

const DAYS = 30;

/** trend() over 30 days on the 1M JSON store. Each call reads the files again, so every call is alike. */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile } = context;
  const store = await openBenchStore(fixture(context, 'json-large'), 'json');
  try {
    const learner = new ModelLearner(store);
    const times = await interleave(
      [
        {
          name: 'ours',
          block: async () => {
            await learner.trend(QUERY_TASK, { days: DAYS, now: REFERENCE_NOW });
          },
        },
      ],
      profile.slowRounds,
    );
    return [
      figure({
        id: 'json.trend',
        backend: 'json',
        label: `30-day trend() at ${sizeLabel(profile.sizes.large)} stored`,
        unit: 'ms',
        ours: { label: 'learner.trend()', samples: timesOf(times, 'ours') },
        target: { on: 'value', op: '<=', limit: 1000, text: '<= 1 s' },
      }),
    ];
  } finally {
    await store.close();
  }
}
