import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonStore } from '../../src/backends/json/index.js';
import { decodeOutcomes } from '../../src/backends/json/outcome-lines.js';
import type { BaselineRecord } from '../../src/core/baselines.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Outcome } from '../../src/core/types.js';
import { legacySource } from '../contract/import-fixtures.js';
import {
  type Attempt,
  applyDamage,
  copyDir,
  countsOf,
  type Damage,
  describeDamage,
  expectedCounts,
  filesOf,
  LEGACY_BASELINES,
  plan,
  runProbe,
  seededOutcomes,
  sizeOf,
} from '../support/corruption.js';
import { writeFigures } from '../support/reliability-figures.js';
import { seededRandom } from '../support/seeded-random.js';

const SEED = 0xc0ffee;
const FLIPS = 10;
const CUTS = 4;
const PROBE_TIMEOUT_MS = 60_000;

let root = '';
let base = '';
const original = { ids: [] as string[], outcomes: [] as Outcome[], baselines: [] as BaselineRecord[] };
/** The store's files by kind, relative to its dir. */
const kinds = { checkpoint: [] as string[], segment: [] as string[], journal: [] as string[], imports: [] as string[] };

/** Ids of the complete lines of a JSON-lines file that the store can read (checksum and shape valid). */
function readableIds(bytes: Buffer): string[] {
  const ids: string[] = [];
  let start = 0;
  for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, start)) {
    const outcomes = decodeOutcomes(bytes.toString('utf8', start, end));
    if (outcomes !== undefined) ids.push(...outcomes.map((outcome) => outcome.id));
    start = end + 1;
  }
  return ids;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'model-perf-corrupt-json-'));
  base = join(root, 'base');
  // Small files: journals rotate and compact into segments; the second, shorter session never compacts,
  // so that its journals stay.
  const random = seededRandom(SEED);
  let n = 0;
  for (const [session, until] of [250, 290].entries()) {
    const tuning = { rotateBytes: 4096, compactMinFiles: session === 0 ? 3 : 1000, compactMinBytes: 1 << 30 };
    const store = await JsonStore.open({ dir: base, logger: silentLogger }, tuning);
    while (n < until) {
      const count = 1 + Math.floor(random() * 8);
      await store.recordMany(seededOutcomes(random, n, count));
      n += count;
    }
    if (session === 0) {
      await store.importBaselines(legacySource('legacy'), LEGACY_BASELINES);
    }
    await store.close();
  }
  for (const file of filesOf(base).keys()) {
    if (file === 'model-perf.checkpoint.json') kinds.checkpoint.push(file);
    else if (file === 'model-perf.imports.json') kinds.imports.push(file);
    // An id index (.idx) is derived data, rebuilt from its segment: json-recovery.test.ts damages those.
    else if (file.startsWith('segments/') && file.endsWith('.jsonl')) kinds.segment.push(file);
    else if (file.startsWith('journal/')) kinds.journal.push(file);
  }
  const reference = join(root, 'reference');
  copyDir(base, reference);
  const reader = await JsonStore.open({ dir: reference, logger: silentLogger });
  for await (const outcome of reader.outcomes()) original.outcomes.push(outcome);
  original.ids = original.outcomes.map((outcome) => outcome.id);
  original.baselines = await reader.listBaselines();
  expect((await reader.verify()).ok).toBe(true);
  await reader.close();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Case {
  damage: Damage;
  dir: string;
  damaged: Buffer;
  /** What the store must count after its repair: the readable lines, of every file. */
  expectedIds: string[];
}

function makeCases(kind: keyof typeof kinds, random: () => number): Case[] {
  const damages = kinds[kind].flatMap((file) => {
    const size = sizeOf(join(base, file));
    return [
      ...plan(random, file, 'flip', Math.ceil(FLIPS / kinds[kind].length), [0, size]),
      ...plan(random, file, 'truncate', Math.ceil(CUTS / kinds[kind].length), [1, size]),
    ];
  });
  return damages.map((damage, index) => {
    const dir = join(root, `${kind}-${index}`);
    copyDir(base, dir);
    applyDamage(dir, damage);
    const damaged = filesOf(dir).get(damage.file) ?? Buffer.alloc(0);
    const lineFile = kind === 'segment' || kind === 'journal';
    const before = lineFile ? new Set(readableIds(filesOf(base).get(damage.file) ?? Buffer.alloc(0))) : new Set();
    const after = lineFile ? readableIds(damaged) : [];
    const expectedIds = [...original.ids.filter((id) => !before.has(id)), ...after].sort();
    return { damage, dir, damaged, expectedIds };
  });
}

/** The attempt that tells the store's state after any repair: the reopen when the first open was rejected. */
function final(first: Attempt, second: Attempt | null): Attempt {
  return second ?? first;
}

function backupHolds(dir: string, bytes: Buffer): boolean {
  return [...filesOf(dir)].some(([file, content]) => file.startsWith('backups/') && content.equals(bytes));
}

const figures: Record<string, Record<string, number>> = {};

describe('JSON store files damaged by truncation and seeded byte flips', () => {
  it.each(['checkpoint', 'segment', 'journal', 'imports'] as const)(
    '%s: repaired, or quarantined and reported; never a crash, a hang or a silently wrong count',
    async (kind) => {
      expect(kinds[kind].length, `the base store has no ${kind} file`).toBeGreaterThan(0);
      const cases = makeCases(kind, seededRandom(SEED + kind.length));
      const results = await runProbe(
        cases.map(({ dir }) => ({ dir, mode: 'json' })),
        PROBE_TIMEOUT_MS,
      );
      const tally = { cases: cases.length, rejectedCorruptData: 0, openedWithWarning: 0, outcomesLost: 0 };
      for (const [index, result] of results.entries()) {
        const { damage, dir, damaged, expectedIds } = cases[index] as Case;
        const label = describeDamage(damage);
        const { first, second } = result;
        const last = final(first, second);
        // Rejected once as damaged: by the open, or by the first call that read the damaged file.
        const rejected = !first.opened || first.failed !== undefined;
        expect(last.opened && last.failed === undefined, `${label}: ${JSON.stringify(last)}`).toBe(true);
        if (!last.opened) continue;
        expect(last.verify, label).toMatchObject({ ok: true });
        // Costs are multiples of 1/64: sums are exact in any order.
        const survivors = kind === 'segment' || kind === 'journal' ? expectedIds : original.ids;
        // The outcomes as they were written (by id, so a changed value in a line that still parses would
        // show), plus the baselines when the imports file survived.
        expect(countsOf(last.stats), label).toEqual(expectedCounts(original, new Set(survivors), kind !== 'imports'));
        if (rejected) {
          tally.rejectedCorruptData += 1;
          const error = first.opened ? first.failed : first;
          expect(error?.code, `${label}: ${error?.message}`).toBe('MP_CORRUPT_DATA');
          expect(error?.message, label).toContain(damage.file.split('/').pop());
        }
        if (first.opened && first.warnings.length > 0) tally.openedWithWarning += 1;
        switch (kind) {
          case 'checkpoint':
            // Only a cache of the segments: rebuilt from them, nothing lost, and said so.
            expect(first.opened, label).toBe(true);
            expect(last.warnings.join('\n'), label).toMatch(/checkpoint .* rebuilt/);
            expect(last.ids.sort(), label).toEqual([...original.ids].sort());
            expect(backupHolds(dir, damaged), `${label}: no byte-exact backup`).toBe(true);
            break;
          case 'imports':
            expect(first.opened, label).toBe(false);
            expect(last.ids.sort(), label).toEqual([...original.ids].sort());
            expect(last.baselines, label).toBe(0);
            expect(backupHolds(dir, damaged), `${label}: no byte-exact backup`).toBe(true);
            break;
          case 'segment':
          case 'journal': {
            expect(last.ids.sort(), label).toEqual(expectedIds);
            expect(last.baselines, label).toBe(original.baselines.length);
            const lost = original.ids.length - expectedIds.length;
            tally.outcomesLost += lost;
            // A journal cut short, or whose last newline is gone, ends like one whose writer died mid-write:
            // the torn line is cut off (and logged when a part of it was left). A cut at a line boundary
            // looks like writes that never happened. Any other loss must be an error.
            const tornTail =
              kind === 'journal' &&
              first.opened &&
              (damage.kind === 'truncate' || first.logs.some((line) => line.includes('Cut ')));
            if (lost > 0 && !tornTail) expect(rejected, `${label}: ${lost} outcomes lost silently`).toBe(true);
            if (rejected) expect(backupHolds(dir, damaged), `${label}: no byte-exact backup`).toBe(true);
            break;
          }
        }
      }
      figures[kind] = tally;
      await writeFigures('corruption-json', { seed: SEED, flipsPerKind: FLIPS, cutsPerKind: CUTS, kinds: figures });
    },
    90_000,
  );
});
