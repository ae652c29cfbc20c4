import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: multi-process tests spawn their own children, so keep vitest's own workers few.
    maxWorkers: 2,
  },
});
