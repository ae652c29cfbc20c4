import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'model-perf';

/**
 * The version in model-perf's package.json, found by walking up from this module: the bundled
 * dist/cli.js sits one level below it, a source file two, and an installed package is found the same way.
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof manifest === 'object' && manifest !== null) {
        const { name, version } = manifest as { name?: unknown; version?: unknown };
        if (name === PACKAGE_NAME && typeof version === 'string') return version;
      }
    } catch {
      // No readable package.json here: keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
