import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NaiveJsonTracker } from '../baselines/naive-json-tracker.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import { liveInputs, PAIRS } from '../support/dataset.js';
import { type Figure, figure } from '../support/figures.js';
import { interleave, microsEach, perSecond, settle, timesOf } from '../support/interleave.js';
import { sizeLabel } from '../support/profile.js';
import { copyStore, openBenchStore } from '../support/stores.js';

/**
 * record() on the JSON store, awaited one at a time, against baseline (b) at the same 200 task/model
 * pairs; and the same record() on a store 100 times bigger, to see whether a write's cost grows with
 * the history. The three alternate in one process. A JSON block ends by letting the event loop turn,
 * so that the compactions its writes scheduled run inside the timed block: their cost is part of
 * recording, only deferred.
 */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile, workDir } = context;
  const { small, medium } = profile.sizes;
  const smallStore = await openBenchStore(copyStore(fixture(context, 'json-small'), workDir, 'small'), 'json');
  const mediumStore = await openBenchStore(copyStore(fixture(context, 'json-medium'), workDir, 'medium'), 'json');
  const naiveDir = join(workDir, 'naive');
  mkdirSync(naiveDir);
  const naive = NaiveJsonTracker.create(join(naiveDir, 'model-performance.json'), PAIRS);
  const storeInputs = liveInputs(profile.jsonRecordBlock, 17);
  const naiveInputs = liveInputs(profile.recordBlock, 19);
  try {
    const times = await interleave(
      [
        {
          name: 'small',
          block: async () => {
            for (const input of storeInputs) await smallStore.record(input);
            await settle();
          },
        },
        {
          name: 'medium',
          block: async () => {
            for (const input of storeInputs) await mediumStore.record(input);
            await settle();
          },
        },
        {
          name: 'naive',
          block: () => {
            for (const input of naiveInputs) naive.record(input);
          },
        },
      ],
      profile.rounds,
    );
    const smallTimes = timesOf(times, 'small');
    return [
      figure({
        id: 'json.record',
        backend: 'json',
        label: `record() one at a time, ${PAIRS.length} pairs (${sizeLabel(small)} stored)`,
        unit: 'ops/s',
        ours: { label: 'store.record()', samples: perSecond(smallTimes, storeInputs.length) },
        baseline: {
          label: 'naive tracker: read, update, rewrite model-performance.json',
          samples: perSecond(timesOf(times, 'naive'), naiveInputs.length),
        },
        target: { on: 'ratio', op: '>=', limit: 10, text: '>= 10x naive' },
      }),
      figure({
        id: 'json.record.scaling',
        backend: 'json',
        label: `record() cost at ${sizeLabel(medium)} stored vs ${sizeLabel(small)}`,
        unit: 'µs',
        ours: { label: `at ${sizeLabel(medium)}`, samples: microsEach(timesOf(times, 'medium'), storeInputs.length) },
        baseline: { label: `at ${sizeLabel(small)}`, samples: microsEach(smallTimes, storeInputs.length) },
        target: { on: 'ratio', op: '<=', limit: 1.5, text: `<= 1.5x ${sizeLabel(small)}` },
      }),
    ];
  } finally {
    await smallStore.close();
    await mediumStore.close();
  }
}
