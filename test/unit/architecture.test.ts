import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rules of docs/ARCHITECTURE.md, checked on every relative import in src/. A folder is
 * a layer; a backend folder is a layer of its own. Each entry says what a layer may import besides
 * itself: a layer name, or one file of a layer (its entry point).
 */
const SRC = resolve(import.meta.dirname, '../../src');
const BACKENDS = ['backends/json', 'backends/sqlite', 'backends/postgres'];
const ENTRY_POINTS = ['index.ts', 'migrate/index.ts', 'dashboard/index.ts', ...BACKENDS.map((b) => `${b}/index.ts`)];

const RULES: Readonly<Record<string, readonly string[]>> = {
  core: [],
  'backends/json': ['core'],
  'backends/sqlite': ['core'],
  'backends/postgres': ['core'],
  migrate: ['core', ...BACKENDS],
  open: ['core', ...BACKENDS, 'migrate'],
  learner: ['core', 'open'],
  'index.ts': ['core', 'learner', 'open'],
  dashboard: ['core', 'learner/index.ts', 'index.ts'],
  // The AI SDK and OpenTelemetry integrations are users of the public API, like a consumer's code.
  integrations: ['index.ts'],
  cli: [...ENTRY_POINTS, 'core/durable-files.ts'],
};

function layerOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  if (parts.length === 1) return parts[0] ?? '';
  return parts[0] === 'backends' ? `backends/${parts[1]}` : (parts[0] ?? '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every import of `file` (given its text) that its layer may not make, as "from -> to". */
function crossings(file: string, text: string): string[] {
  const from = layerOf(file);
  const allowed = RULES[from];
  if (allowed === undefined) return [`${relative(SRC, file)}: its folder ${from} has no rule`];
  const found: string[] = [];
  for (const match of text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)) {
    const target = resolve(dirname(file), (match[1] ?? match[2] ?? '').replace(/\.js$/, '.ts'));
    const to = layerOf(target);
    const path = relative(SRC, target).split(sep).join('/');
    if (to === from || allowed.includes(to) || allowed.includes(path)) continue;
    found.push(`${relative(SRC, file)} -> ${path}`);
  }
  return found;
}

describe('architecture', () => {
  it('has every import in src follow the dependency rules', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((file) => crossings(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('reports an import that crosses them', () => {
    const core = join(SRC, 'core', 'store.ts');
    expect(crossings(core, "import { openStore } from '../open/open-store.js';")).toEqual([
      'core/store.ts -> open/open-store.ts',
    ]);
    const sqlite = join(SRC, 'backends', 'sqlite', 'damage.ts');
    expect(crossings(sqlite, "import { JsonStore } from '../json/json-store.js';")).toEqual([
      'backends/sqlite/damage.ts -> backends/json/json-store.ts',
    ]);
    const cli = join(SRC, 'cli', 'run.ts');
    expect(crossings(cli, "import { SqliteStore } from '../backends/sqlite/sqlite-store.js';")).toHaveLength(1);
    expect(crossings(cli, "import { openStore } from '../index.js';")).toEqual([]);
    const otel = join(SRC, 'integrations', 'otel', 'span-processor.ts');
    expect(crossings(otel, "import { stderrLogger } from '../../core/logger.js';")).toEqual([
      'integrations/otel/span-processor.ts -> core/logger.ts',
    ]);
    expect(crossings(otel, "import { stderrLogger } from '../../index.js';")).toEqual([]);
  });
});
