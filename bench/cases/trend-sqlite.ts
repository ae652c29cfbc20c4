import { ModelLearner } from '../../src/index.js';
import { openRawConnection } from '../baselines/raw-connection.js';
import { RawTrendQuery } from '../baselines/raw-trend-query.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import { QUERY_TASK, REFERENCE_NOW, trendWindow } from '../support/dataset.js';
import { type Figure, figure } from '../support/figures.js';
import { interleave, timesOf } from '../support/interleave.js';
import { sizeLabel } from '../support/profile.js';
import { openBenchStore, sqliteFile } from '../support/stores.js';

const DAYS = 30;

/**
 * trend() over 30 days on the 1M store, against the equivalent GROUP BY on a second connection.
 * The first call is reported apart: it prepares the statement and reads the pages into SQLite's cache.
 */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile } = context;
  const dir = fixture(context, 'sqlite-large');
  const store = await openBenchStore(dir, 'sqlite');
  const db = openRawConnection(sqliteFile(dir));
  try {
    const learner = new ModelLearner(store);
    const raw = new RawTrendQuery(db);
    const { since, until } = trendWindow(DAYS);
    const trend = () => learner.trend(QUERY_TASK, { days: DAYS, now: REFERENCE_NOW });
    const started = performance.now();
    await trend();
    const firstMs = performance.now() - started;
    const times = await interleave(
      [
        {
          name: 'ours',
          block: async () => {
            await trend();
          },
        },
        {
          name: 'raw',
          block: () => {
            raw.trend(QUERY_TASK, since, until);
          },
        },
      ],
      profile.rounds * 2,
      0,
    );
    const label = `30-day trend() at ${sizeLabel(profile.sizes.large)} stored`;
    return [
      figure({
        id: 'sqlite.trend',
        backend: 'sqlite',
        label,
        unit: 'ms',
        ours: { label: 'learner.trend()', samples: timesOf(times, 'ours') },
        baseline: { label: 'raw SQL GROUP BY day, model', samples: timesOf(times, 'raw') },
        target: { on: 'value', op: '<=', limit: 50, text: '<= 50 ms' },
      }),
      figure({
        id: 'sqlite.trend.first',
        backend: 'sqlite',
        label: `${label}, first call after open`,
        unit: 'ms',
        ours: { label: 'learner.trend()', samples: [firstMs] },
      }),
    ];
  } finally {
    await store.close();
    db.close();
  }
}
