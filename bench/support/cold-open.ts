import type { CaseContext, StoreFixture } from './case-types.js';
import { fixture } from './case-types.js';
import { PAIRS } from './dataset.js';
import { type Backend, type Figure, figure, type Target } from './figures.js';
import { currentRssMb, peakRssMb } from './peak-rss.js';
import { sizeLabel } from './profile.js';
import { openBenchStore } from './stores.js';

export interface ColdOpenTargets {
  ms: Target;
  rss?: Target;
}

/**
 * One sample of a cold open: this process is fresh (the orchestrator starts one per sample), the
 * modules are loaded, the store is not. Times openStore() and the first getStats(), which is what a
 * runtime pays before its first dispatch; the OS page cache is warm, as it is for a store in daily use.
 */
export async function coldOpen(
  context: CaseContext,
  backend: Backend,
  name: StoreFixture,
  targets: ColdOpenTargets,
): Promise<Figure[]> {
  const [pair] = PAIRS;
  if (pair === undefined) throw new Error('the dataset has no pairs');
  const rssBefore = currentRssMb();
  const started = performance.now();
  const store = await openBenchStore(fixture(context, name), backend);
  try {
    const stats = await store.getStats(pair.taskType, pair.modelId);
    const elapsed = performance.now() - started;
    if (stats === undefined) throw new Error(`the ${backend} store has no stats for ${pair.taskType}/${pair.modelId}`);
    const size = sizeLabel(context.profile.sizes.large);
    return [
      figure({
        id: `${backend}.coldOpen`,
        backend,
        label: `cold openStore() + first getStats() at ${size} stored`,
        unit: 'ms',
        ours: { label: 'openStore() + getStats()', samples: [elapsed] },
        target: targets.ms,
      }),
      figure({
        id: `${backend}.coldOpen.rss`,
        backend,
        label: `peak RSS of that process at ${size} stored`,
        unit: 'MB',
        ours: { label: 'maxRSS', samples: [peakRssMb()] },
        ...(targets.rss === undefined ? {} : { target: targets.rss }),
        note: `${rssBefore.toFixed(0)} MB before openStore() (Node and the modules)`,
      }),
    ];
  } finally {
    await store.close();
  }
}
