import { join } from 'node:path';
import { importOutcomesTable } from '../../src/migrate/index.js';
import { type CaseContext, fixture } from './case-types.js';
import { type Backend, type Figure, figure } from './figures.js';
import { currentRssMb, peakRssMb } from './peak-rss.js';
import { sizeLabel } from './profile.js';
import { openBenchStore } from './stores.js';

/**
 * importOutcomesTable() of the cached llm_task_outcomes table into a new store, once (it takes
 * seconds to minutes); this process does nothing else, so its peak RSS is the import's.
 */
export async function importTable(context: CaseContext, backend: Backend): Promise<Figure[]> {
  const rows = context.profile.importRows;
  const store = await openBenchStore(join(context.workDir, 'store'), backend);
  const rssBefore = currentRssMb();
  let seconds: number;
  try {
    const started = performance.now();
    const report = await importOutcomesTable({ store, file: fixture(context, 'outcomes-table') });
    seconds = (performance.now() - started) / 1000;
    if (report.imported !== rows) {
      throw new Error(`imported ${report.imported} of ${rows} rows (${report.skipped} skipped)`);
    }
  } finally {
    // Inside the RSS figure: what close() still does (the JSON store compacts its journals) is the import's.
    await store.close();
  }
  const label = `importOutcomesTable() of ${sizeLabel(rows)} rows`;
  return [
    figure({
      id: `${backend}.importTable`,
      backend,
      label,
      unit: 's',
      ours: { label: 'importOutcomesTable()', samples: [seconds] },
      note: `${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`,
    }),
    figure({
      id: `${backend}.importTable.rss`,
      backend,
      label: `peak RSS of ${label}`,
      unit: 'MB',
      ours: { label: 'maxRSS', samples: [peakRssMb()] },
      target: { on: 'value', op: '<', limit: 200, text: '< 200 MB' },
      note: `${rssBefore.toFixed(0)} MB before the import (Node and the modules)`,
    }),
  ];
}
