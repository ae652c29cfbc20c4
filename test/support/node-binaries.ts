import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The machine's own node: the first on PATH outside node_modules (npm puts the pinned Node 24 first). */
export function machineNode(): string | undefined {
  for (const entry of (process.env.PATH ?? '').split(delimiter)) {
    if (entry === '' || entry.includes('node_modules')) continue;
    const candidate = join(entry, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this PATH entry; keep looking.
    }
  }
  return undefined;
}

/** Real Node binaries installed as devDependencies (npm aliases of the `node` package). */
export const PINNED_NODES = {
  node22: join(ROOT, 'node_modules/node22/bin/node'),
  node24: join(ROOT, 'node_modules/node/bin/node'),
  node26: join(ROOT, 'node_modules/node26/bin/node'),
} as const;
