import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { COMPILED_DIR, ROOT_DIR } from './paths.js';

/** What the children import: the library, the bench, and the test helpers the bench shares. */
const SOURCE_DIRS = ['src', 'bench', 'test/support'];
const SKIPPED_DIRS = new Set(['.cache', 'results', 'node_modules']);

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : typeScriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Writes every source as plain JavaScript under bench/.cache/js, types stripped (whitespace in their
 * place, so line numbers in stack traces stay right). The case processes run these copies: running
 * TypeScript directly loads Node's type stripper into every process, which costs ~40 MB of RSS and
 * would be counted against the store in the peak-RSS figures. The sources already import each other
 * as './x.js', so the copies resolve each other with no loader hook; bare imports (semver) still find
 * the repository's node_modules, which is above the copies.
 */
export function compileSources(): void {
  rmSync(COMPILED_DIR, { recursive: true, force: true });
  for (const sourceDir of SOURCE_DIRS) {
    for (const file of typeScriptFiles(join(ROOT_DIR, sourceDir))) {
      const target = join(COMPILED_DIR, relative(ROOT_DIR, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, stripTypeScriptTypes(readFileSync(file, 'utf8'), { mode: 'strip' }));
    }
  }
}

/** The compiled copy of a source file, e.g. compiled('bench/support/child.ts'). */
export function compiled(sourcePath: string): string {
  return join(COMPILED_DIR, sourcePath.replace(/\.ts$/, '.js'));
}
