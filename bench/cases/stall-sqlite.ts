import { RawSqliteWriter } from '../baselines/raw-sqlite-writer.js';
import { type CaseContext, fixture } from '../support/case-types.js';
import type { Figure } from '../support/figures.js';
import { sizeLabel } from '../support/profile.js';
import { longestStall, type Recorder, stallFigure, withHelpers } from '../support/stall.js';
import { copyStore, openBenchStore, sqliteFile } from '../support/stores.js';

const ALONE_RECORDS = 5_000;
const LOCK_RECORDS = 20;
const WRITERS_RECORDS = 2_000;

/**
 * The longest event-loop stall of a caller recording into SQLite, in the 3 scenarios, beside raw
 * node:sqlite with the same busy timeout (5 s, openStore's default), which waits inside SQLite.
 */
export async function run(context: CaseContext): Promise<Figure[]> {
  const { workDir } = context;
  const size = sizeLabel(context.profile.sizes.large);
  const scenario = async (dir: string, records: number, seed: number) => {
    const store = await openBenchStore(dir, 'sqlite');
    let ours: number;
    try {
      ours = await longestStall({ record: (input) => store.record(input) }, records, seed);
    } finally {
      await store.close();
    }
    const raw = new RawSqliteWriter(sqliteFile(dir));
    try {
      const recorder: Recorder = { record: (input) => raw.record(input) };
      return { ours, raw: await longestStall(recorder, records, seed + 1) };
    } finally {
      raw.close();
    }
  };
  const figures = (name: 'alone' | 'lock' | 'writers', records: number, stalls: { ours: number; raw: number }) =>
    stallFigure(
      'sqlite',
      name,
      size,
      { label: 'store.record()', stallMs: stalls.ours, records },
      { label: 'raw node:sqlite, busy timeout 5 s', stallMs: stalls.raw },
    );

  const alone = await scenario(copyStore(fixture(context, 'sqlite-large'), workDir, 'alone'), ALONE_RECORDS, 31);
  const lockDir = copyStore(fixture(context, 'sqlite-small'), workDir, 'lock');
  const lock = await withHelpers([['hold-sqlite', lockDir]], () => scenario(lockDir, LOCK_RECORDS, 37));
  const writersDir = copyStore(fixture(context, 'sqlite-small'), workDir, 'writers');
  const writers = await withHelpers(
    [1, 2, 3].map((n) => ['writer', 'sqlite', writersDir, String(100 * n)]),
    () => scenario(writersDir, WRITERS_RECORDS, 41),
  );
  return [
    figures('alone', ALONE_RECORDS, alone),
    figures('lock', LOCK_RECORDS, lock),
    figures('writers', WRITERS_RECORDS, writers),
  ];
}
