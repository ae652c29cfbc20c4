import type { PerformanceStore } from '../../src/index.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import type { Figure } from '../support/figures.js';
import { sizeLabel } from '../support/profile.js';
import { longestStall, type Recorder, stallFigure, withHelpers } from '../support/stall.js';
import { copyStore, openBenchStore } from '../support/stores.js';

/** Enough records to seal 8 journals of 1 MB, so that a compaction runs at the large size. */
const ALONE_RECORDS = 40_000;
const LOCK_RECORDS = 1_500;
/** Every this many records, an imports change, which waits for json.lock. */
const LOCK_EXTRA_EVERY = 300;
const WRITERS_RECORDS = 3_000;
/** The CI size records a quarter as much, to end well within its case time limit on a busy machine. */
const SHORT_SHARE = 0.25;

function recorder(store: PerformanceStore, withImports: boolean): Recorder {
  const record = (input: Parameters<PerformanceStore['record']>[0]) => store.record(input);
  if (!withImports) return { record };
  return {
    record,
    extraEvery: LOCK_EXTRA_EVERY,
    extra: (round) => store.importBaselines({ id: `bench-source-${round}`, kind: 'outcomes-table' }, []),
  };
}

/** The longest event-loop stall of a caller recording into the JSON store, in the 3 scenarios. */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { workDir } = context;
  const size = sizeLabel(context.profile.sizes.large);
  const share = context.profile.name === 'short' ? SHORT_SHARE : 1;
  const [aloneRecords, lockRecords, writersRecords] = [ALONE_RECORDS, LOCK_RECORDS, WRITERS_RECORDS].map((count) =>
    Math.round(count * share),
  ) as [number, number, number];
  const scenario = async (dir: string, records: number, seed: number, withImports = false) => {
    const store = await openBenchStore(dir, 'json');
    try {
      return await longestStall(recorder(store, withImports), records, seed);
    } finally {
      await store.close();
    }
  };
  const alone = await scenario(copyStore(fixture(context, 'json-large'), workDir, 'alone'), aloneRecords, 31);
  const lockDir = copyStore(fixture(context, 'json-small'), workDir, 'lock');
  const lock = await withHelpers([['hold-json', lockDir]], () => scenario(lockDir, lockRecords, 37, true));
  const writersDir = copyStore(fixture(context, 'json-small'), workDir, 'writers');
  const writerHelpers = [1, 2, 3].map((n) => ['writer', 'json', writersDir, String(100 * n)]);
  const writers = await withHelpers(writerHelpers, () => scenario(writersDir, writersRecords, 41));
  // The same caller recording nothing, beside the same writers: what the machine's scheduler alone
  // costs the caller's loop when 4 busy processes share its cores.
  const noStore = await withHelpers(writerHelpers, () => longestStall({ record: () => undefined }, writersRecords, 41));
  const ours = (stallMs: number, records: number) => ({ label: 'store.record()', stallMs, records });
  return [
    stallFigure('json', 'alone', size, ours(alone, aloneRecords)),
    stallFigure('json', 'lock', size, {
      ...ours(lock, lockRecords),
      label: 'store.record(), an imports change every 300',
    }),
    stallFigure('json', 'writers', size, ours(writers, writersRecords), {
      label: 'no store: the same caller, recording nothing',
      stallMs: noStore,
    }),
  ];
}
