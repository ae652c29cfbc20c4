import { type CaseContext, fixture } from '../support/case-types.js';
import { liveInputs } from '../support/dataset.js';
import { type Figure, figure } from '../support/figures.js';
import { interleave, perSecond, settle, timesOf } from '../support/interleave.js';
import { copyStore, openBenchStore } from '../support/stores.js';

const BATCH = 1_000;

/**
 * recordMany() of 1,000 on the JSON store (one journal line per batch). There is no baseline: the
 * naive tracker has no batch write, and a raw SQL transaction is another storage altogether.
 */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile, workDir } = context;
  const store = await openBenchStore(copyStore(fixture(context, 'json-small'), workDir, 'ours'), 'json');
  const batch = liveInputs(BATCH, 23);
  try {
    const times = await interleave(
      [
        {
          name: 'ours',
          block: async () => {
            await store.recordMany(batch);
            // Compactions the batches scheduled run inside the timed block.
            await settle();
          },
        },
      ],
      profile.rounds * 2,
    );
    return [
      figure({
        id: 'json.recordMany',
        backend: 'json',
        label: 'recordMany() of 1,000 (outcomes/s)',
        unit: 'ops/s',
        ours: { label: 'store.recordMany()', samples: perSecond(timesOf(times, 'ours'), BATCH) },
      }),
    ];
  } finally {
    await store.close();
  }
}
