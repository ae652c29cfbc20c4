import { closeSync, cpSync, fsyncSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type PerformanceStore, silentLogger } from '../../src/index.js';
import type { Backend } from './figures.js';

/** The SQLite backend's database in a store dir (a public name, fixed in DESIGN.md). */
const SQLITE_FILE = 'model-performance.db';

export function sqliteFile(dir: string): string {
  return join(dir, SQLITE_FILE);
}

/**
 * Opens a store the way a runtime does (openStore, migration on open included), on the backend asked
 * for and no other: a silent fallback to JSON would measure the wrong backend.
 */
export function openBenchStore(dir: string, backend: Backend): Promise<PerformanceStore> {
  return openStore({ dir, backend, fallback: false, logger: silentLogger });
}

/** A private copy of a cached store, for a case that writes: the cache stays as it was built. */
export function copyStore(fixtureDir: string, workDir: string, name: string): string {
  const target = join(workDir, name);
  // The manifest is the cache's, not the store's.
  cpSync(fixtureDir, target, { recursive: true, filter: (source) => !source.endsWith('fixture.json') });
  // On disk before the case measures: otherwise the first fsync of the store (a WAL checkpoint) also
  // waits for the writeback of the whole copy, which no store in daily use has pending.
  flushTree(target);
  return target;
}

function flushTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      flushTree(path);
    } else if (entry.isFile()) {
      const fd = openSync(path, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }
}
