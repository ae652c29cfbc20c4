import { RawSqliteWriter } from '../baselines/raw-sqlite-writer.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import { liveInputs } from '../support/dataset.js';
import { type Figure, figure } from '../support/figures.js';
import { interleave, perSecond, timesOf } from '../support/interleave.js';
import { sizeLabel } from '../support/profile.js';
import { copyStore, openBenchStore, sqliteFile } from '../support/stores.js';

/**
 * record() awaited one at a time — the runtime's pattern, one outcome per dispatch — against baseline
 * (a), each on its own copy of the same 1k-outcome database, in alternating blocks.
 */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile, workDir } = context;
  const source = fixture(context, 'sqlite-small');
  const store = await openBenchStore(copyStore(source, workDir, 'ours'), 'sqlite');
  const raw = new RawSqliteWriter(sqliteFile(copyStore(source, workDir, 'raw')));
  // The same inputs for both; each call makes a new id, so a block can be replayed.
  const inputs = liveInputs(profile.recordBlock, 11);
  try {
    const times = await interleave(
      [
        {
          name: 'ours',
          block: async () => {
            for (const input of inputs) await store.record(input);
          },
        },
        {
          name: 'raw',
          block: () => {
            for (const input of inputs) raw.record(input);
          },
        },
      ],
      profile.rounds,
    );
    return [
      figure({
        id: 'sqlite.record',
        backend: 'sqlite',
        label: `record() one at a time (${sizeLabel(profile.sizes.small)} stored)`,
        unit: 'ops/s',
        ours: { label: 'store.record()', samples: perSecond(timesOf(times, 'ours'), inputs.length) },
        baseline: {
          label: 'raw node:sqlite, 2 statements/transaction',
          samples: perSecond(timesOf(times, 'raw'), inputs.length),
        },
        target: { on: 'ratio', op: '>=', limit: 0.8, text: '>= 0.8x raw' },
      }),
    ];
  } finally {
    await store.close();
    raw.close();
  }
}
