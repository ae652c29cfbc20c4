import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureName, FixturePaths } from './case-types.js';
import { compiled } from './compile.js';
import type { Backend } from './figures.js';
import { fingerprint } from './fingerprint.js';
import { FIXTURES_DIR } from './paths.js';
import { type BenchProfile, type StoreSizes, sizeLabel } from './profile.js';
import { runChild } from './spawn.js';

const BUILD_TIMEOUT_MS = 15 * 60_000;
const MANIFEST = 'fixture.json';
const TABLE_FILE = 'outcomes.sqlite';
/** What decides a fixture's bytes, besides its size. */
const DATASET_SOURCES = ['bench/support/dataset.ts', 'bench/support/build-fixture.ts', 'test/support/seeded-random.ts'];

interface FixtureSpec {
  name: FixtureName;
  kind: 'store' | 'table';
  backend: Backend | '-';
  count: number;
  sources: string[];
}

function specOf(name: FixtureName, profile: BenchProfile): FixtureSpec {
  if (name === 'outcomes-table') {
    return { name, kind: 'table', backend: '-', count: profile.importRows, sources: DATASET_SOURCES };
  }
  const [backend, size] = name.split('-') as [Backend, keyof StoreSizes];
  return {
    name,
    kind: 'store',
    backend,
    count: profile.sizes[size],
    sources: [`src/backends/${backend}`, ...DATASET_SOURCES],
  };
}

/** A fixture's path as cases use it: the store dir, or the table's SQLite file. */
function usablePath(spec: FixtureSpec, dir: string): string {
  return spec.kind === 'table' ? join(dir, TABLE_FILE) : dir;
}

/** Removes the same fixture built from other sources: it can never be used again, and stores are large. */
function removeOutdated(prefix: string, keep: string): void {
  if (!existsSync(FIXTURES_DIR)) return;
  for (const entry of readdirSync(FIXTURES_DIR)) {
    if (entry.startsWith(prefix) && entry !== keep) rmSync(join(FIXTURES_DIR, entry), { recursive: true, force: true });
  }
}

async function build(spec: FixtureSpec, dir: string, log: (line: string) => void): Promise<void> {
  // Built aside and renamed when complete: an interrupted build never looks like a cached fixture.
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`building ${spec.name} (${sizeLabel(spec.count)} outcomes) ...`);
  const exit = await runChild(
    compiled('bench/support/build-fixture.ts'),
    [spec.kind, spec.backend, String(spec.count), usablePath(spec, partial)],
    BUILD_TIMEOUT_MS,
  );
  if (exit.code !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(
      `building fixture ${spec.name} failed (exit ${exit.code ?? exit.signal}${exit.timedOut ? ', timed out' : ''})`,
    );
  }
  const manifest = { ...spec, builtAt: new Date().toISOString(), buildSeconds: exit.wallMs / 1000 };
  writeFileSync(join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(partial, dir);
  log(`built ${spec.name} in ${(exit.wallMs / 1000).toFixed(1)} s`);
}

/**
 * The fixtures the selected cases need, built once and cached in bench/.cache/fixtures, keyed by size
 * and fingerprint. Cases that only read open them in place; cases that write copy them first.
 */
export async function ensureFixtures(
  names: Iterable<FixtureName>,
  profile: BenchProfile,
  rebuild: boolean,
  log: (line: string) => void,
): Promise<FixturePaths> {
  const paths: FixturePaths = {};
  for (const name of new Set(names)) {
    const spec = specOf(name, profile);
    const prefix = `${spec.name}-${sizeLabel(spec.count)}-`;
    const id = `${prefix}${fingerprint(JSON.stringify(spec), spec.sources)}`;
    const dir = join(FIXTURES_DIR, id);
    removeOutdated(prefix, id);
    if (rebuild || !existsSync(join(dir, MANIFEST))) {
      rmSync(dir, { recursive: true, force: true });
      await build(spec, dir, log);
    }
    paths[name] = usablePath(spec, dir);
  }
  return paths;
}
