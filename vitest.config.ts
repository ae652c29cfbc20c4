import { defineConfig } from 'vitest/config';

/**
 * The fault-injection and soak tests load both cores on purpose (writers killed in a loop, eight
 * processes for seconds): they run as a group of their own after every other test, so that the
 * timing-sensitive ones (the browser, the CLI server) never share the machine with them.
 */
const RELIABILITY = [
  'test/integration/crash.test.ts',
  'test/integration/disk-full.test.ts',
  'test/integration/corruption-*.test.ts',
  'test/integration/lock-contention.test.ts',
  'test/integration/soak.test.ts',
  'test/integration/sqlite-quarantine.test.ts',
];

export default defineConfig({
  test: {
    // PostgreSQL from npm, unless MODEL_PERF_TEST_PG_URL names a server: see the file.
    globalSetup: ['test/support/postgres-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: multi-process tests spawn their own children, so keep vitest's own workers few.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: RELIABILITY } },
      { extends: true, test: { name: 'reliability', include: RELIABILITY, sequence: { groupOrder: 1 } } },
    ],
  },
});
