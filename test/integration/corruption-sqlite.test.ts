import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import type { BaselineRecord } from '../../src/core/baselines.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Outcome } from '../../src/core/types.js';
import { legacySource } from '../contract/import-fixtures.js';
import { FIXTURES, runChild } from '../support/children.js';
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
  type ProbeResult,
  plan,
  runProbe,
  seededOutcomes,
  sizeOf,
} from '../support/corruption.js';
import { writeFigures } from '../support/reliability-figures.js';
import { seededRandom } from '../support/seeded-random.js';

const SEED = 0xd15c;
const DB = 'model-performance.db';
const WAL = `${DB}-wal`;
const PROBE_TIMEOUT_MS = 90_000;
const MODES = ['refuse', 'quarantine', 'auto'] as const;

interface Base {
  dir: string;
  outcomes: Outcome[];
  baselines: BaselineRecord[];
}

let root = '';
const bases: Record<'clean' | 'crashed', Base> = {
  clean: { dir: '', outcomes: [], baselines: [] },
  crashed: { dir: '', outcomes: [], baselines: [] },
};

async function readBase(dir: string): Promise<Pick<Base, 'outcomes' | 'baselines'>> {
  const store = await openSqliteStore({ dir, logger: silentLogger });
  try {
    const outcomes: Outcome[] = [];
    for await (const outcome of store.outcomes()) outcomes.push(outcome);
    expect((await store.verify()).ok).toBe(true);
    return { outcomes, baselines: await store.listBaselines() };
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'model-perf-corrupt-sqlite-'));
  // A store closed cleanly: everything is in the database file.
  const clean = join(root, 'clean');
  const store = await openSqliteStore({ dir: clean, logger: silentLogger });
  const random = seededRandom(SEED);
  for (let n = 0; n < 300; n += 5) {
    await store.recordMany(seededOutcomes(random, n, 5));
  }
  await store.importBaselines(legacySource('legacy'), LEGACY_BASELINES);
  await store.close();
  bases.clean = { dir: clean, ...(await readBase(clean)) };
  // A store whose writer was killed: its committed transactions are in the WAL.
  const crashed = join(root, 'crashed');
  const writer = await runChild([join(FIXTURES, 'wal-writer.mjs'), crashed, '300']);
  expect(writer.signal, writer.stderr).toBe('SIGKILL');
  expect(sizeOf(join(crashed, WAL))).toBeGreaterThan(32);
  const reference = join(root, 'crashed-reference');
  copyDir(crashed, reference);
  bases.crashed = { dir: crashed, ...(await readBase(reference)) };
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Case {
  damage: Damage;
  base: Base;
  /** The damaged files, untouched by any open (each mode opens a copy). */
  damaged: string;
}

function makeCases(base: Base, damages: readonly Damage[], name: string): Case[] {
  return damages.map((damage, index) => {
    const damaged = join(root, `${name}-${index}`, 'damaged');
    copyDir(base.dir, damaged);
    applyDamage(damaged, damage);
    for (const mode of MODES) copyDir(damaged, join(root, `${name}-${index}`, mode));
    return { damage, base, damaged };
  });
}

/** The SQLite files of a dir, without what the JSON fallback or a snapshot may add next to them. */
function sqliteFiles(dir: string): Map<string, Buffer> {
  return new Map([...filesOf(dir)].filter(([file]) => file.startsWith(DB)));
}

function expectUnchanged(dir: string, damaged: string, label: string): void {
  expect(sqliteFiles(dir), `${label}: a refused open changed the files`).toEqual(sqliteFiles(damaged));
}

/** A backup directory holding this file byte for byte. */
function backupHolds(dir: string, file: string, bytes: Buffer | undefined): boolean {
  if (bytes === undefined) return false;
  return [...filesOf(dir)].some(
    ([path, content]) => path.startsWith('backups/') && path.endsWith(`/${file}`) && content.equals(bytes),
  );
}

/**
 * An open that worked must tell the truth: verify() clean and every count as written, or verify()
 * says what is wrong, or a read failed with a typed error.
 */
function expectHonest(attempt: Extract<Attempt, { opened: true }>, base: Base, label: string): 'clean' | 'flagged' {
  if (attempt.failed !== undefined) {
    expect(attempt.failed.code, `${label}: ${attempt.failed.message}`).toBe('MP_CORRUPT_DATA');
    return 'flagged';
  }
  if (!attempt.verify.ok) {
    expect(attempt.verify.mismatches.length + attempt.verify.integrity.length, label).toBeGreaterThan(0);
    return 'flagged';
  }
  expect(attempt.ids.sort(), label).toEqual(base.outcomes.map((outcome) => outcome.id).sort());
  expect(countsOf(attempt.stats), label).toEqual(expectedCounts(base, new Set(attempt.ids), true));
  return 'clean';
}

function expectTypedRefusal(attempt: Extract<Attempt, { opened: false }>, label: string): void {
  const typed =
    attempt.code === 'MP_CORRUPT_DATA' || (attempt.code === 'MP_BACKEND_UNAVAILABLE' && /newer/.test(attempt.message));
  expect(typed, `${label}: ${attempt.name} ${attempt.code}: ${attempt.message}`).toBe(true);
}

const tally: Record<string, Record<string, number>> = {};

function count(group: string, outcome: string): void {
  tally[group] ??= {};
  const counts = tally[group];
  counts[outcome] = (counts[outcome] ?? 0) + 1;
}

function check(group: string, cases: readonly Case[], results: readonly ProbeResult[]): void {
  for (const item of cases) {
    const { damage, base, damaged } = item;
    const label = describeDamage(damage);
    const byMode = (mode: string): ProbeResult => {
      const found = results.find((result) => result.dir === join(damaged, '..', mode));
      if (found === undefined) throw new Error(`no probe result for ${label} in mode ${mode}`);
      return found;
    };
    const refuse = byMode('refuse');
    const quarantine = byMode('quarantine');
    const auto = byMode('auto');
    count(group, 'cases');
    const damagedFiles = filesOf(damaged);

    // Forced SQLite, default policy: a typed refusal that changes nothing, or an honest open.
    if (refuse.first.opened) {
      count(group, `refuse: opened, ${expectHonest(refuse.first, base, `${label} (refuse)`)}`);
    } else {
      count(group, `refuse: ${refuse.first.code}`);
      expectTypedRefusal(refuse.first, `${label} (refuse)`);
      expectUnchanged(refuse.dir, damaged, `${label} (refuse)`);
    }

    // onCorrupt 'quarantine': damage set aside with its bytes, reported once, then a working store.
    const { first, second } = quarantine;
    if (first.opened) {
      count(group, `quarantine: opened, ${expectHonest(first, base, `${label} (quarantine)`)}`);
    } else if (first.code === 'MP_CORRUPT_DATA' && first.message.includes('backups')) {
      const movedDb = first.message.includes('new empty database');
      count(group, movedDb ? 'quarantine: database moved' : 'quarantine: WAL kept, tail dropped');
      const kept = movedDb ? DB : WAL;
      expect(
        backupHolds(quarantine.dir, kept, damagedFiles.get(kept)),
        `${label}: no byte-exact backup of ${kept}`,
      ).toBe(true);
      expect(second?.opened, `${label}: the store did not open after the quarantine`).toBe(true);
      if (second?.opened) {
        expect(second.failed, label).toBeUndefined();
        expect(second.verify, label).toMatchObject({ ok: true });
        if (movedDb) expect(second.ids, label).toEqual([]);
        // What is left of a dropped WAL tail is outcomes as they were written, none invented.
        const written = new Set(base.outcomes.map((outcome) => outcome.id));
        expect(
          second.ids.filter((id) => !written.has(id)),
          label,
        ).toEqual([]);
        expect(countsOf(second.stats), label).toEqual(expectedCounts(base, new Set(second.ids), second.baselines > 0));
      }
    } else {
      count(group, `quarantine: ${first.code}`);
      expectTypedRefusal(first, `${label} (quarantine)`);
      expectUnchanged(quarantine.dir, damaged, `${label} (quarantine)`);
    }

    // openStore 'auto': SQLite when it opens, else JSON with the reason, the SQLite files left as they are.
    expect(auto.first.opened, `${label} (auto): ${JSON.stringify(auto.first)}`).toBe(true);
    if (!auto.first.opened) continue;
    if (refuse.first.opened) {
      expect(auto.first.backend, label).toBe('sqlite');
      expectHonest(auto.first, base, `${label} (auto)`);
    } else {
      expect(auto.first, label).toMatchObject({ backend: 'json', degraded: true });
      expect(auto.first.reason, label).toMatch(/^JSON \(fallback\): SQLite could not start: /);
      expect(existsSync(join(auto.dir, DB)), label).toBe(true);
      expect(sqliteFiles(auto.dir).get(DB), `${label} (auto): the database was changed`).toEqual(damagedFiles.get(DB));
    }
  }
}

describe('SQLite files damaged by truncation and seeded byte flips', () => {
  it('the database file (header and pages): refused, quarantined on request, or opened honestly', async () => {
    const random = seededRandom(SEED);
    const size = sizeOf(join(bases.clean.dir, DB));
    const cases = makeCases(
      bases.clean,
      [
        ...plan(random, DB, 'flip', 10, [0, 100]),
        ...plan(random, DB, 'flip', 30, [100, size]),
        ...plan(random, DB, 'truncate', 10, [1, size]),
      ],
      'db',
    );
    const entries = cases.flatMap(({ damaged }) => MODES.map((mode) => ({ dir: join(damaged, '..', mode), mode })));
    check('database', cases, await runProbe(entries, PROBE_TIMEOUT_MS));
    await writeFigures('corruption-sqlite', { seed: SEED, outcomes: tally });
  }, 120_000);

  it('the WAL of a crashed writer: refused or, on request, cut back to its last intact transaction', async () => {
    const random = seededRandom(SEED + 1);
    const size = sizeOf(join(bases.crashed.dir, WAL));
    const cases = makeCases(
      bases.crashed,
      [...plan(random, WAL, 'flip', 20, [0, size]), ...plan(random, WAL, 'truncate', 10, [1, size])],
      'wal',
    );
    const entries = cases.flatMap(({ damaged }) => MODES.map((mode) => ({ dir: join(damaged, '..', mode), mode })));
    check('wal', cases, await runProbe(entries, PROBE_TIMEOUT_MS));
    await writeFigures('corruption-sqlite', { seed: SEED, outcomes: tally });
  }, 120_000);
});
