import type { CaseEntry } from '../support/case-types.js';

const once = (): number => 1;

/**
 * Every case, in the order the bench runs them. Each runs in a child process of its own (see
 * bench/support/child.ts), which imports only its own module: one case's heap, JIT state and peak
 * RSS never leak into another's.
 */
export const CASES: readonly CaseEntry[] = [
  {
    name: 'record-sqlite',
    title: 'record() one at a time',
    backend: 'sqlite',
    needs: ['sqlite-small'],
    processes: once,
    load: () => import('./record-sqlite.js'),
  },
  {
    name: 'record-many-sqlite',
    title: 'recordMany() of 1,000',
    backend: 'sqlite',
    needs: ['sqlite-small'],
    processes: once,
    load: () => import('./record-many-sqlite.js'),
  },
  {
    name: 'record-json',
    title: 'record() one at a time',
    backend: 'json',
    needs: ['json-small', 'json-medium'],
    processes: once,
    load: () => import('./record-json.js'),
  },
  {
    name: 'record-many-json',
    title: 'recordMany() of 1,000',
    backend: 'json',
    needs: ['json-small'],
    processes: once,
    load: () => import('./record-many-json.js'),
  },
  {
    name: 'ranking-sqlite',
    title: 'getRankedModels()',
    backend: 'sqlite',
    needs: ['sqlite-small', 'sqlite-medium', 'sqlite-large'],
    processes: once,
    load: () => import('./ranking-sqlite.js'),
  },
  {
    name: 'choose-sqlite',
    title: 'choose() against getRankedModels()',
    backend: 'sqlite',
    needs: ['sqlite-large'],
    processes: once,
    load: () => import('./choose-sqlite.js'),
  },
  {
    name: 'ranking-json',
    title: 'getRankedModels()',
    backend: 'json',
    needs: ['json-small', 'json-medium', 'json-large'],
    processes: once,
    load: () => import('./ranking-json.js'),
  },
  {
    name: 'trend-sqlite',
    title: '30-day trend()',
    backend: 'sqlite',
    needs: ['sqlite-large'],
    processes: once,
    load: () => import('./trend-sqlite.js'),
  },
  {
    name: 'trend-json',
    title: '30-day trend()',
    backend: 'json',
    needs: ['json-large'],
    processes: once,
    load: () => import('./trend-json.js'),
  },
  {
    name: 'cold-open-sqlite',
    title: 'cold openStore() + first getStats()',
    backend: 'sqlite',
    needs: ['sqlite-large'],
    processes: (profile) => profile.coldOpenProcesses,
    load: () => import('./cold-open-sqlite.js'),
  },
  {
    name: 'cold-open-json',
    title: 'cold openStore() + first getStats()',
    backend: 'json',
    needs: ['json-large'],
    processes: (profile) => profile.coldOpenProcesses,
    load: () => import('./cold-open-json.js'),
  },
  {
    name: 'legacy-import-sqlite',
    title: 'openStore() absorbing a legacy model-performance.json',
    backend: 'sqlite',
    needs: [],
    processes: once,
    load: () => import('./legacy-import-sqlite.js'),
  },
  {
    name: 'import-table-sqlite',
    title: 'importOutcomesTable()',
    backend: 'sqlite',
    needs: ['outcomes-table'],
    processes: once,
    load: () => import('./import-table-sqlite.js'),
  },
  {
    name: 'import-table-json',
    title: 'importOutcomesTable()',
    backend: 'json',
    needs: ['outcomes-table'],
    processes: once,
    load: () => import('./import-table-json.js'),
  },
  {
    name: 'concurrent-postgres',
    title: '4 processes recording concurrently, PostgreSQL vs SQLite',
    backend: 'postgres',
    needs: [],
    processes: once,
    load: () => import('./concurrent-postgres.js'),
  },
];
