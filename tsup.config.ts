import { defineConfig } from 'tsup';

export default defineConfig({
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
  clean: true,
  // vitest stays a peer of the contract suite: a backend author brings their own.
  external: ['vitest'],
});
