import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root: the nearest dir above this file with a package.json. Found rather than fixed,
 * because this file also runs from its compiled copy in bench/.cache/js (see compile.ts).
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const ROOT_DIR = findRoot(import.meta.dirname);
/** Git-ignored: built stores, compiled sources, and the scratch dirs of running cases. */
export const CACHE_DIR = join(ROOT_DIR, 'bench', '.cache');
export const FIXTURES_DIR = join(CACHE_DIR, 'fixtures');
export const WORK_DIR = join(CACHE_DIR, 'work');
export const COMPILED_DIR = join(CACHE_DIR, 'js');
export const RESULTS_DIR = join(ROOT_DIR, 'bench', 'results');
export const PERFORMANCE_DOC = join(ROOT_DIR, 'docs', 'PERFORMANCE.md');
