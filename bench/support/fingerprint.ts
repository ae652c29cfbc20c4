import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT_DIR } from './paths.js';

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/**
 * A short hash of a fixture's description and of the code that decides what it holds on disk (the
 * backend's sources, the dataset, the builder): a cached fixture is reused only while all of them are
 * unchanged, so a change to a storage format never meets a store built by the old one.
 */
export function fingerprint(description: string, sources: readonly string[]): string {
  const hash = createHash('sha256').update(description);
  for (const source of sources) {
    for (const file of filesUnder(join(ROOT_DIR, source))) {
      hash.update(`\u0000${relative(ROOT_DIR, file)}\u0000`).update(readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 12);
}
