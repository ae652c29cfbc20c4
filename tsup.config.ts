import { defineConfig } from 'tsup';

/** The `model-perf` bin: built next to the library, and kept when the library build cleans dist/. */
const CLI_FILES = ['cli.js', 'cli.js.map'];

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      json: 'src/backends/json/index.ts',
      sqlite: 'src/backends/sqlite/index.ts',
      testing: 'test/contract/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: CLI_FILES.map((file) => `!${file}`),
    // vitest stays a peer of the contract suite: a backend author brings their own.
    external: ['vitest'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    // ESM only: a bin is run, never required; top-level await runs the command.
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: false,
    // tsup makes a file that starts with #! executable.
    banner: { js: '#!/usr/bin/env node' },
  },
]);
