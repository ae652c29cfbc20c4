import { RawSqliteWriter } from '../baselines/raw-sqlite-writer.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import { liveInputs } from '../support/dataset.js';
import { type Figure, figure } from '../support/figures.js';
import { interleave, perSecond, timesOf } from '../support/interleave.js';
import { copyStore, openBenchStore, sqliteFile } from '../support/stores.js';

const BATCH = 1_000;

/** recordMany() of 1,000 against one hand-written transaction of the same 1,000 (baseline a, batched). */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile, workDir } = context;
  const source = fixture(context, 'sqlite-small');
  const store = await openBenchStore(copyStore(source, workDir, 'ours'), 'sqlite');
  const raw = new RawSqliteWriter(sqliteFile(copyStore(source, workDir, 'raw')));
  const batch = liveInputs(BATCH, 13);
  try {
    const times = await interleave(
      [
        {
          name: 'ours',
          block: async () => {
            await store.recordMany(batch);
          },
        },
        { name: 'raw', block: () => raw.recordBatch(batch) },
      ],
      profile.rounds * 2,
    );
    return [
      figure({
        id: 'sqlite.recordMany',
        backend: 'sqlite',
        label: 'recordMany() of 1,000 (outcomes/s)',
        unit: 'ops/s',
        ours: { label: 'store.recordMany()', samples: perSecond(timesOf(times, 'ours'), BATCH) },
        baseline: { label: 'raw batch transaction of 1,000', samples: perSecond(timesOf(times, 'raw'), BATCH) },
        target: { on: 'ratio', op: '>=', limit: 0.8, text: '>= 0.8x raw' },
      }),
    ];
  } finally {
    await store.close();
    raw.close();
  }
}
