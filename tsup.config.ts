import { defineConfig } from 'tsup';

/** The `model-perf` bin: built next to the library, and kept when the library build cleans dist/. */
const CLI_FILES = ['cli.js', 'cli.js.map'];

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      json: 'src/backends/json/index.ts',
      sqlite: 'src/backends/sqlite/index.ts',
      postgres: 'src/backends/postgres/index.ts',
      migrate: 'src/migrate/index.ts',
      'ai-sdk': 'src/integrations/ai-sdk/index.ts',
      otel: 'src/integrations/otel/index.ts',
      testing: 'test/contract/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: CLI_FILES.map((file) => `!${file}`),
    // Shared chunks in the CommonJS build too: otherwise each entry bundles its own copy of every class,
    // and a JsonStore from 'model-perf' would not be an instance of the JsonStore from 'model-perf/json'.
    splitting: true,
    // The contract suite imports no test runner: its caller passes one. pg is an optional peer, imported
    // only when a PostgreSQL store opens; `ai` and `@opentelemetry/api` are optional peers imported only
    // by their subpaths: none is ever bundled.
    external: ['pg', 'ai', '@opentelemetry/api'],
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
