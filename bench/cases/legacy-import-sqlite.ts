import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PerformanceStore } from '../../src/index.js';
import type { CaseContext } from '../support/case-types.js';
import { type Figure, figure } from '../support/figures.js';
import { interleave, timesOf } from '../support/interleave.js';
import { legacyDocument } from '../support/legacy-document.js';
import { openBenchStore } from '../support/stores.js';

const LEGACY_FILE = 'model-performance.json';
const WARMUP = 1;

/**
 * openStore() on a dir holding a legacy model-performance.json of 5,000 pairs: SQLite absorbs it on
 * open (validate, import as baselines in one transaction, archive the file). Compared with openStore()
 * on an empty dir, so that the ratio is the cost of the import itself. Dirs are prepared before the
 * timing starts, and the imports are checked after it ends.
 */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { profile, workDir } = context;
  const rounds = profile.rounds;
  const legacyText = JSON.stringify(legacyDocument(profile.legacyPairs), null, 2);
  const dirs = (kind: string): string[] =>
    Array.from({ length: rounds + WARMUP }, (_, index) => {
      const dir = join(workDir, `${kind}-${index}`);
      mkdirSync(dir);
      if (kind === 'legacy') writeFileSync(join(dir, LEGACY_FILE), legacyText);
      return dir;
    });
  const pending = { legacy: dirs('legacy'), empty: dirs('empty') };
  const opened = { legacy: [] as PerformanceStore[], empty: [] as PerformanceStore[] };
  const open = async (kind: 'legacy' | 'empty'): Promise<void> => {
    const dir = pending[kind].shift();
    if (dir === undefined) throw new Error('more blocks than prepared dirs');
    opened[kind].push(await openBenchStore(dir, 'sqlite'));
  };
  try {
    const times = await interleave(
      [
        { name: 'legacy', block: () => open('legacy') },
        { name: 'empty', block: () => open('empty') },
      ],
      rounds,
      WARMUP,
    );
    for (const store of opened.legacy) {
      const pairs = (await store.listStats()).length;
      if (pairs !== profile.legacyPairs) {
        throw new Error(
          `openStore imported ${pairs} of ${profile.legacyPairs} legacy pairs; warnings: ${store.info.warnings.join(' | ') || 'none'}`,
        );
      }
    }
    return [
      figure({
        id: 'sqlite.legacyImport',
        backend: 'sqlite',
        label: `openStore() absorbing a ${profile.legacyPairs.toLocaleString('en-US')}-pair model-performance.json`,
        unit: 'ms',
        ours: { label: 'openStore() with the legacy file', samples: timesOf(times, 'legacy') },
        baseline: { label: 'openStore() on an empty dir', samples: timesOf(times, 'empty') },
      }),
    ];
  } finally {
    for (const store of [...opened.legacy, ...opened.empty]) await store.close();
  }
}
